/** Jest globalTeardown of the e2e project: stops the embedded Postgres started by global-setup.ts, if any. */
import type { E2eGlobals } from './global-setup.ts';

export default async function globalTeardown(): Promise<void> {
  const globals = globalThis as E2eGlobals;
  const onSignal = globals.__kingdomE2eSignalHandler;
  if (onSignal) {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  await globals.__kingdomE2ePostgres?.stop();
  globals.__kingdomE2ePostgres = undefined;
}

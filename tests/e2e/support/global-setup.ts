/**
 * Jest globalSetup of the e2e project: one Postgres server for the whole run.
 *
 * - TEST_DATABASE_URL set (CI with a service container, or your own server): that server is used and nothing is
 *   started. It must let its user CREATE DATABASE; test databases are created on it next to the URL's database.
 * - Otherwise: a throwaway embedded Postgres (fresh temp directory, no fsync) on a free port, stopped by
 *   globalTeardown.
 *
 * Test files run in other contexts (workers): they receive the server through KINGDOM_TEST_ADMIN_URL (set here,
 * inherited by the workers) and create their own databases with `createTestDatabase()` (./database.ts).
 */
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../../src/platform/database/embedded-postgres.ts';
import { freePort } from '../../support/free-port.ts';

/** Shared with global-teardown.ts (jest runs both in its main process). */
export type E2eGlobals = typeof globalThis & {
  __kingdomE2ePostgres?: EmbeddedPostgres;
  __kingdomE2eSignalHandler?: () => void;
};

/** The free port may be taken between the probe and Postgres binding it: try again with another one. */
const startOnFreePort = async (attempts = 3): Promise<EmbeddedPostgres> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startEmbeddedPostgres({ port: await freePort(), persistent: false });
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
};

export default async function globalSetup(): Promise<void> {
  const globals = globalThis as E2eGlobals;
  if (process.env.TEST_DATABASE_URL) {
    process.env.KINGDOM_TEST_ADMIN_URL = process.env.TEST_DATABASE_URL;
    return;
  }
  const startedAt = performance.now();
  const postgres = await startOnFreePort();
  globals.__kingdomE2ePostgres = postgres;
  process.env.KINGDOM_TEST_ADMIN_URL = postgres.adminUrl('postgres');
  if (process.env.KINGDOM_TEST_VERBOSE) {
    const ms = Math.round(performance.now() - startedAt);
    console.log(`\n[e2e] embedded Postgres on port ${postgres.port} in ${ms} ms`);
  }
  // Ctrl-C / kill during the run: remove the temp cluster too, not only the process.
  const onSignal = (): void => {
    void postgres.stop().finally(() => process.exit(130));
  };
  globals.__kingdomE2eSignalHandler = onSignal;
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

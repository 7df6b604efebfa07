/**
 * The API process. `npm start`: with DATABASE_URL it serves that database; without it, an embedded Postgres
 * (development), migrated and seeded. SIGTERM/SIGINT drain in-flight requests and exit 0.
 */
import { startApp } from './app.ts';
import { provideDatabase } from './platform/database/provision.ts';
import { createLogger } from './platform/logger.ts';
import { exitOnUncaughtErrors, readConfigOrExit } from './platform/process.ts';
import { seedIfEmpty } from './seed.ts';

const config = readConfigOrExit();
const logger = createLogger(config);
exitOnUncaughtErrors(logger);

/** Everything start-up brought up, so a signal at any moment stops exactly that. */
const startUp = async () => {
  const database = await provideDatabase(config, logger);
  const running = await startApp({ config, logger, databaseUrl: database.url });
  if (database.embedded && config.isDevelopment && (await seedIfEmpty(running.application, running.pool))) {
    logger.info('seeded the empty development database with sample products');
  }
  logger.info(
    { url: running.url, startupMs: Math.round(performance.now()), sandbox: config.isDevelopment },
    `Kingdom is serving GraphQL at ${running.url}`,
  );
  return { database, running };
};
const started = startUp();

let stopping = false;
// Registered before start-up finishes: a SIGTERM that arrives while we seed must still drain and exit 0.
const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down: draining in-flight requests');
  try {
    const { database, running } = await started;
    await running.stop();
    logger.debug('http server and pools closed');
    await database.stop();
    logger.info('stopped cleanly');
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, 'shutdown failed');
    process.exit(1);
  }
};
process.on('SIGTERM', (signal) => void shutdown(signal));
process.on('SIGINT', (signal) => void shutdown(signal));

await started;

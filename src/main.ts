/**
 * The API process. `npm start`: with DATABASE_URL it serves that database; without it, an embedded Postgres
 * (development), migrated and, when it has no products yet, seeded (src/seed.ts). SIGTERM/SIGINT drain in-flight
 * requests and exit 0.
 */
import { startApp, type RunningApp } from './app.ts';
import { provideDatabase } from './platform/database/provision.ts';
import { announceStart } from './platform/banner.ts';
import { createLogger } from './platform/logger.ts';
import { startTelemetry, telemetryOptionsFrom } from './platform/telemetry/telemetry.ts';
import { exitOnUncaughtErrors, readConfigOrExit, stopOnSignals } from './platform/process.ts';
import { databaseHasProducts, developmentAccountsIn, seedAdministrator, seedIfEmpty } from './seed/seed.ts';

const config = readConfigOrExit();
const logger = createLogger(config);
exitOnUncaughtErrors(logger);

/**
 * Development only: an empty database (no products) is seeded with the development data set when
 * SEED_EMPTY_DATABASE says so (default: only the embedded Postgres); otherwise we say how to seed it.
 */
const seedOrOffer = async (running: RunningApp, embedded: boolean): Promise<void> => {
  if ((config.SEED_EMPTY_DATABASE ?? String(embedded)) === 'true') {
    const report = await seedIfEmpty(running.application, running.pool, { administrator: seedAdministrator(config) });
    if (report)
      logger.info({ added: report.added }, 'seeded the empty development database with the development data set');
  } else if (!(await databaseHasProducts(running.pool))) {
    logger.info('the database has no products yet: `npm run db:seed` fills it with the development data set');
  }
};

/** Everything start-up brought up, so a signal at any moment stops exactly that. */
const startUp = async () => {
  // Before anything else, so that it sees everything: off (and nothing loaded) unless OTEL_* or METRICS_PORT ask.
  const telemetry = await startTelemetry(telemetryOptionsFrom(config, 'kingdom-api'));
  const database = await provideDatabase(config, logger);
  const running = await startApp({ config, logger, databaseUrl: database.url, telemetry });
  if (config.isDevelopment) await seedOrOffer(running, database.embedded);
  announceStart(logger, config.logFormat, {
    url: running.url,
    sandbox: config.isDevelopment,
    database: database.description,
    accounts: config.isDevelopment ? await developmentAccountsIn(running.pool, seedAdministrator(config)) : [],
    startupMs: Math.round(performance.now()),
  });
  return { database, running, telemetry };
};
const started = startUp();

stopOnSignals(logger, 'draining in-flight requests', async () => {
  const { database, running, telemetry } = await started;
  await running.stop();
  logger.debug('http server and pools closed');
  // The last spans are exported before the process exits.
  await telemetry.shutdown();
  await database.stop();
});

await started;

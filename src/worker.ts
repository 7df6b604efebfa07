/**
 * The background worker process (`npm run worker`): runs the jobs the outbox enqueued (graphile-worker), or with
 * EXTERNAL_BUS=sqs forwards them to SQS for the Lambda handler. Same composition root as the API. SIGTERM/SIGINT:
 * no new job is taken, running ones finish (up to SHUTDOWN_GRACE_MS), exit 0.
 */
import { bootstrap } from './bootstrap.ts';
import { ConfigError } from './platform/config.ts';
import { createDatabasePool } from './platform/database/pool.ts';
import { provideDatabase } from './platform/database/provision.ts';
import { createSqsPublisher } from './platform/jobs/sqs-publisher.ts';
import { startJobWorker } from './platform/jobs/worker-runner.ts';
import { createLogger } from './platform/logger.ts';
import { observabilityOf } from './platform/telemetry/observability.ts';
import { startTelemetry, telemetryOptionsFrom } from './platform/telemetry/telemetry.ts';
import { exitOnUncaughtErrors, readConfigOrExit, stopOnSignals } from './platform/process.ts';

const config = readConfigOrExit(
  (read) => {
    // The API may start an embedded Postgres for development; elsewhere the worker must be told where the jobs are.
    if (!read.DATABASE_URL && !read.isDevelopment) {
      throw new ConfigError([
        'DATABASE_URL: is required for the worker outside development (the database the API writes jobs to)',
      ]);
    }
  },
  { signsTokens: false },
);
const logger = createLogger(config);
exitOnUncaughtErrors(logger);

const startUp = async () => {
  const telemetry = await startTelemetry(telemetryOptionsFrom(config, 'kingdom-worker'));
  const observed = observabilityOf(telemetry);
  // Development without DATABASE_URL: the embedded Postgres of `npm start` (shared while that process runs it).
  const database = await provideDatabase(config, logger);
  const pool = await createDatabasePool(database.url, {
    maxPoolSize: config.DATABASE_POOL_SIZE,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
  });
  // The same composition root as the API: every context's handlers, tasks and commands work here too.
  const application = bootstrap({ logger, pool, config });
  const sqs =
    config.EXTERNAL_BUS === 'sqs' && config.SQS_QUEUE_URL
      ? createSqsPublisher({
          queueUrl: config.SQS_QUEUE_URL,
          ...(config.AWS_REGION ? { region: config.AWS_REGION } : {}),
        })
      : undefined;
  const worker = await startJobWorker({
    connectionString: database.url,
    concurrency: config.WORKER_CONCURRENCY,
    tasks: application.tasks,
    logger,
    ...(sqs ? { forward: (task, envelope) => sqs.publish(task, envelope) } : {}),
    ...(observed.jobs ? { observe: observed.jobs } : {}),
  });
  observed.observe({ pool, jobQueue: true });
  logger.info(
    {
      workerId: worker.workerId,
      concurrency: config.WORKER_CONCURRENCY,
      bus: config.EXTERNAL_BUS,
      tasks: Object.keys(application.tasks),
    },
    'worker started',
  );
  return { database, pool, application, worker, telemetry };
};
const started = startUp();
started.catch((error: unknown) => {
  logger.fatal({ err: error }, 'the worker could not start');
  process.exit(1);
});

stopOnSignals(logger, 'letting running jobs finish', async () => {
  const { database, pool, application, worker, telemetry } = await started;
  // Past the grace period, release the running jobs for another worker to retry now: a supervisor's SIGKILL
  // would leave them locked for graphile-worker's 4 hours instead. Their transactions roll back as we exit.
  const deadline = setTimeout(() => {
    logger.error({ graceMs: config.SHUTDOWN_GRACE_MS }, 'jobs still running after the grace period: releasing them');
    void worker.kill().finally(() => process.exit(1));
  }, config.SHUTDOWN_GRACE_MS);
  await worker.stop();
  clearTimeout(deadline);
  await pool.end();
  application.close();
  await telemetry.shutdown();
  await database.stop();
});

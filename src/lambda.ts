/**
 * The AWS Lambda entry point for EXTERNAL_BUS=sqs (handler `dist/lambda.handler` after `npm run build`): the
 * worker forwards outbox jobs to SQS, and this runs the same background tasks for each SQS record.
 * Nothing happens at import: the first invocation builds the application, later ones on the same (warm)
 * instance reuse it and its pool. No migrations here: the deployment runs them before the function is updated.
 */
import { bootstrap } from './bootstrap.ts';
import { loadConfig } from './platform/config.ts';
import { createDatabasePool } from './platform/database/pool.ts';
import { createSqsHandler, type SqsBatchResponse, type SqsEvent } from './platform/jobs/sqs-handler.ts';
import { createLogger } from './platform/logger.ts';

/** One instance handles one batch at a time, and records of a batch run concurrently: a few connections do. */
const LAMBDA_POOL_SIZE = 2;

type BatchHandler = (event: SqsEvent) => Promise<SqsBatchResponse>;

const coldStart = async (): Promise<BatchHandler> => {
  const config = loadConfig(process.env, { signsTokens: false });
  // Unlike the API, a Lambda has no development defaults to fall back on, whatever NODE_ENV says: no embedded
  // Postgres, and no local address for the links its emails carry.
  const databaseUrl = config.DATABASE_URL;
  if (!databaseUrl || !config.PUBLIC_URL) {
    const missing = [databaseUrl ? null : 'DATABASE_URL', config.PUBLIC_URL ? null : 'PUBLIC_URL'].filter(Boolean);
    throw new Error(
      `Invalid configuration:\n${missing.map((variable) => `  - ${variable}: is required by the Lambda handler`).join('\n')}`,
    );
  }
  // CloudWatch reads JSON: no development default here either.
  const logger = createLogger({ ...config, logFormat: config.LOG_FORMAT ?? 'json' });
  const pool = await createDatabasePool(databaseUrl, {
    maxPoolSize: LAMBDA_POOL_SIZE,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
  });
  // The SMTP sender lives as long as the instance: Lambda freezes it between invocations, nothing to close.
  const app = bootstrap({ logger, pool, config });
  logger.info({ tasks: Object.keys(app.tasks) }, 'Lambda handler ready');
  return createSqsHandler(app.tasks, logger);
};

let ready: Promise<BatchHandler> | undefined;

export const handler = async (event: SqsEvent): Promise<SqsBatchResponse> => {
  // Forget a failed start (bad configuration, database unreachable) so the next invocation tries again; the
  // failing one throws, and Lambda returns the whole batch to the queue.
  ready ??= coldStart().catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  return (await ready)(event);
};

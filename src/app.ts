import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { sql, type DatabasePool } from 'slonik';
import { bootstrap, type Application, type BootstrapOptions } from './bootstrap.ts';
import { contexts } from './contexts.ts';
import { authenticate } from './platform/auth/authenticate.ts';
import { createAuthRateLimiter } from './platform/auth/rate-limit.ts';
import { createRequestAccess } from './platform/auth/request-access.ts';
import type { Config } from './platform/config.ts';
import { startChannelListener } from './platform/database/channels.ts';
import { createDatabasePool } from './platform/database/pool.ts';
import { createApolloServer } from './platform/graphql/apollo.ts';
import type { Viewer } from './platform/graphql/context.ts';
import { cursorKeysFrom } from './platform/graphql/cursors/keys.ts';
import { createCursorSigner } from './platform/graphql/cursors/signing.ts';
import { createErrorFormatter } from './platform/graphql/errors.ts';
import { federationSettings } from './platform/graphql/federation/settings.ts';
import { graphqlProtection } from './platform/graphql/limits.ts';
import { createTrustedDocumentsGate } from './platform/graphql/trusted-documents/gate.ts';
import { loadTrustedDocuments } from './platform/graphql/trusted-documents/settings.ts';
import { createUnknownOperationLog } from './platform/graphql/trusted-documents/unknown-operations.ts';
import { clientAddress } from './platform/http/client-address.ts';
import { createHttpServer } from './platform/http/server.ts';
import { startJobWorker, type JobWorker } from './platform/jobs/worker-runner.ts';
import { childOnFirstUse, type AppLogger } from './platform/logger.ts';
import { collectFeeds } from './platform/subscriptions/notices.ts';
import { startSubscriptions } from './platform/subscriptions/server.ts';
import { observabilityOf } from './platform/telemetry/observability.ts';
import { NO_TELEMETRY, type Telemetry } from './platform/telemetry/telemetry.ts';
import { buildApplicationSchema } from './schema.ts';

export type RunningApp = {
  readonly url: string;
  readonly application: Application;
  readonly pool: DatabasePool;
  readonly port: number;
  /** Subscriptions this process feeds now. */
  readonly followers: () => number;
  /**
   * Graceful: readiness 503 (for SHUTDOWN_READINESS_DELAY_MS still serving), stop accepting, let in-flight requests
   * finish (up to the grace period) while every WebSocket is closed with 1001 Going Away, then close pools.
   */
  stop(): Promise<void>;
};

export type StartOptions = {
  readonly config: Config;
  readonly logger: AppLogger;
  readonly databaseUrl: string;
  /** Test seams passed on to the composition root (per-context fakes, extra event subscribers). */
  readonly overrides?: Omit<BootstrapOptions, 'logger' | 'pool' | 'config'>;
  /** Traces and metrics, when the process started them (src/platform/telemetry); default: off. */
  readonly telemetry?: Telemetry;
};

/** Wires the API process: pool -> composition root -> schema -> Apollo -> HTTP server, listening. */
export const startApp = async (options: StartOptions): Promise<RunningApp> => {
  const { config, logger, databaseUrl, overrides } = options;
  const observed = observabilityOf(options.telemetry ?? NO_TELEMETRY);
  const pool = await createDatabasePool(databaseUrl, {
    maxPoolSize: config.DATABASE_POOL_SIZE,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
  });
  // One LISTEN connection per API process: how a change committed through another instance reaches this one.
  const channels = await startChannelListener({ connectionString: databaseUrl, logger });
  const app = bootstrap({ logger, pool, config, channels, ...overrides });
  await app.startup();
  const trustedDocuments = loadTrustedDocuments(config, logger);
  const unknownOperations = createUnknownOperationLog(logger);
  const federation = federationSettings(config);
  const schema = observed.schema(
    buildApplicationSchema({
      ...(federation.guard ? { federation: federation.guard } : {}),
      cursors: createCursorSigner(cursorKeysFrom(config, logger)),
    }),
  );
  const limits = {
    maxDepth: config.GRAPHQL_MAX_DEPTH,
    maxAliases: config.GRAPHQL_MAX_ALIASES,
    maxDirectives: config.GRAPHQL_MAX_DIRECTIVES,
    maxTokens: config.GRAPHQL_MAX_TOKENS,
    maxCost: config.GRAPHQL_MAX_COST,
  };
  const apollo = createApolloServer({
    schema,
    plugins: observed.plugins,
    isDevelopment: config.isDevelopment,
    trustedDocuments,
    limits,
  });
  await apollo.start();

  const authRateLimit = createAuthRateLimiter(
    {
      windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
      perAccount: config.RATE_LIMIT_AUTH_PER_ACCOUNT,
      perAddress: config.RATE_LIMIT_AUTH_PER_ADDRESS,
    },
    { postgres: pool },
  );
  /** What every resolver receives, over HTTP and over WebSocket alike. */
  const contextFor = (viewer: Viewer | null, requestId: string, address: string, permissionsOf = app.permissionsOf) => {
    const access = createRequestAccess(viewer?.userId ?? null, permissionsOf);
    return {
      bus: app.bus,
      views: app.viewsForRequest(access.readScope),
      viewer,
      access,
      requestId,
      logger: childOnFirstUse(logger, { requestId }),
      clientAddress: address,
      rateLimit: authRateLimit.forAddress(address),
    };
  };
  // Subscriptions: WebSocket on the same port and path, fed by the changes every instance's commits announce.
  const subscriptions = startSubscriptions({
    schema,
    feeds: collectFeeds(contexts),
    resources: [...app.resources.keys()],
    channels,
    protection: graphqlProtection(limits, { hideSuggestions: !config.isDevelopment }),
    isDevelopment: config.isDevelopment,
    trustedDocuments,
    observeUnknown: unknownOperations.record,
    check: app.authenticate,
    watchEndedSessions: app.watchEndedSessions,
    clientAddress: (request) => clientAddress(request, config.TRUST_PROXY),
    permissionsOf: app.permissionsOf,
    createContext: (connection, permissionsOf) =>
      contextFor(connection.viewer, connection.id, connection.clientAddress, permissionsOf),
    formatError: createErrorFormatter({ exposeInternals: config.isDevelopment }),
    settings: {
      subscriptionsPerConnection: config.SUBSCRIPTIONS_PER_CONNECTION,
      connectionsPerUser: config.WEBSOCKET_CONNECTIONS_PER_USER,
      keepAliveMs: config.WEBSOCKET_KEEP_ALIVE_MS,
      maxPayloadBytes: config.HTTP_BODY_LIMIT_BYTES,
    },
    logger,
  });
  const http = createHttpServer({
    apollo,
    gate: federation.gate(createTrustedDocumentsGate(trustedDocuments, unknownOperations.record)),
    createContext: async (request, requestId) => {
      const viewer = await authenticate(request.headers.authorization, app.authenticate);
      const address = clientAddress(request, config.TRUST_PROXY);
      return {
        ...contextFor(viewer, requestId, address),
        presentsRouterSecret: federation.presentsRouterSecret(request.headers),
      };
    },
    upgrade: subscriptions.handleUpgrade,
    isReady: async () => {
      try {
        await pool.oneFirst(sql.unsafe`SELECT 1`);
        return true;
      } catch {
        return false;
      }
    },
    bodyLimitBytes: config.HTTP_BODY_LIMIT_BYTES,
    requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
    headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS,
    keepAliveTimeoutMs: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    corsOrigins: config.CORS_ORIGINS,
    onError: (error, requestId) => logger.error({ err: error, requestId }, 'unhandled error while serving a request'),
  });

  // Development runs background tasks in this process too, so `npm start` alone shows the whole system.
  const worker: JobWorker | undefined =
    config.runsWorkerInApi && config.EXTERNAL_BUS === 'graphile-worker'
      ? await startJobWorker({
          connectionString: databaseUrl,
          concurrency: config.WORKER_CONCURRENCY,
          tasks: app.tasks,
          logger,
          ...(observed.jobs ? { observe: observed.jobs } : {}),
        })
      : undefined;
  observed.observe({ pool, jobQueue: worker !== undefined, unknownOperations: unknownOperations.count });
  if (worker) logger.info({ workerId: worker.workerId }, 'running background tasks in the API process (WORKER_IN_API)');

  http.server.listen(config.PORT, config.host);
  await once(http.server, 'listening');
  const { port } = http.server.address() as AddressInfo;

  const stop = async (): Promise<void> => {
    http.startDraining();
    // Still serving, /readyz already 503: a load balancer polling it stops routing here before the listener closes.
    await delay(config.SHUTDOWN_READINESS_DELAY_MS);
    const closed = new Promise<void>((resolve) => http.server.close(() => resolve()));
    http.server.closeIdleConnections();
    const deadline = setTimeout(() => http.server.closeAllConnections(), config.SHUTDOWN_GRACE_MS);
    // WebSockets are told 1001 Going Away (clients reconnect elsewhere) while in-flight HTTP requests finish.
    await Promise.all([closed, subscriptions.close(config.SHUTDOWN_GRACE_MS)]);
    clearTimeout(deadline);
    await apollo.stop();
    await worker?.stop();
    await channels.close();
    await pool.end();
    app.close();
  };

  return {
    url: `http://${config.host}:${port}/graphql`,
    port,
    application: app,
    pool,
    followers: () => subscriptions.followers(),
    stop,
  };
};

import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { sql, type DatabasePool } from 'slonik';
import { bootstrap, type Application, type BootstrapOptions } from './bootstrap.ts';
import { createArgon2PasswordHasher } from './identity/adapters/argon2-password-hasher.ts';
import { createJwtAccessTokens } from './identity/adapters/jwt-access-tokens.ts';
import { createPasswordResetTokenFactory, createRefreshTokenFactory } from './identity/adapters/refresh-tokens.ts';
import { authenticate } from './platform/auth/authenticate.ts';
import { createRequestAccess } from './platform/auth/request-access.ts';
import { createAuthRateLimiter } from './platform/auth/rate-limit.ts';
import { jwtSettingsFrom } from './platform/auth/signing-keys.ts';
import type { Config } from './platform/config.ts';
import { createDatabasePool } from './platform/database/pool.ts';
import { createApolloServer } from './platform/graphql/apollo.ts';
import { buildSchema } from './platform/graphql/schema.ts';
import { clientAddress } from './platform/http/client-address.ts';
import { createHttpServer } from './platform/http/server.ts';
import { sharedBootstrapOptions } from './platform/composition.ts';
import { startJobWorker, type JobWorker } from './platform/jobs/worker-runner.ts';
import { childOnFirstUse, type AppLogger } from './platform/logger.ts';

export type RunningApp = {
  readonly url: string;
  readonly application: Application;
  readonly pool: DatabasePool;
  readonly port: number;
  /** Graceful: readiness 503, stop accepting, let in-flight requests finish (up to the grace period), close pools. */
  stop(): Promise<void>;
};

export type StartOptions = {
  readonly config: Config;
  readonly logger: AppLogger;
  readonly databaseUrl: string;
  /** Test seams passed on to the composition root (fakes, extra event subscribers). */
  readonly overrides?: Omit<BootstrapOptions, 'logger' | 'pool'>;
};

/** Wires the API process: pool -> composition root -> schema -> Apollo -> HTTP server, listening. */
export const startApp = async ({ config, logger, databaseUrl, overrides }: StartOptions): Promise<RunningApp> => {
  const pool = await createDatabasePool(databaseUrl, {
    maxPoolSize: config.DATABASE_POOL_SIZE,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
  });
  const tokens = createJwtAccessTokens(jwtSettingsFrom(config, logger));
  const { smtp, ...shared } = sharedBootstrapOptions(config);
  const app = bootstrap({
    logger,
    pool,
    ...shared,
    identity: {
      hasher: createArgon2PasswordHasher(),
      accessTokens: tokens.issuer,
      refreshTokens: createRefreshTokenFactory(),
      resetTokens: createPasswordResetTokenFactory(),
      policy: {
        maxFailures: config.LOGIN_MAX_FAILURES,
        lockoutMs: config.LOGIN_LOCKOUT_SECONDS * 1000,
        refreshTokenTtlMs: config.REFRESH_TOKEN_TTL_SECONDS * 1000,
        passwordResetTtlMs: config.PASSWORD_RESET_TTL_MINUTES * 60_000,
        passwordResetEmailIntervalMs: config.PASSWORD_RESET_EMAIL_INTERVAL_SECONDS * 1000,
        passwordResetMinResponseMs: config.PASSWORD_RESET_MIN_RESPONSE_MS,
      },
    },
    ...overrides,
  });
  await ensureAdministrator(app, config, logger);
  const apollo = createApolloServer({
    schema: buildSchema(),
    isDevelopment: config.isDevelopment,
    limits: {
      maxDepth: config.GRAPHQL_MAX_DEPTH,
      maxAliases: config.GRAPHQL_MAX_ALIASES,
      maxDirectives: config.GRAPHQL_MAX_DIRECTIVES,
      maxTokens: config.GRAPHQL_MAX_TOKENS,
      maxCost: config.GRAPHQL_MAX_COST,
    },
  });
  await apollo.start();

  const authRateLimit = createAuthRateLimiter({
    windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
    perAccount: config.RATE_LIMIT_AUTH_PER_ACCOUNT,
    perAddress: config.RATE_LIMIT_AUTH_PER_ADDRESS,
  });
  const http = createHttpServer({
    apollo,
    createContext: async (request, requestId) => {
      const address = clientAddress(request, config.TRUST_PROXY);
      const viewer = authenticate(request.headers.authorization, tokens.verify);
      const access = createRequestAccess(viewer?.userId ?? null, app.permissionsOf);
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
    },
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
        })
      : undefined;
  if (worker) logger.info({ workerId: worker.workerId }, 'running background tasks in the API process (WORKER_IN_API)');

  http.server.listen(config.PORT, config.host);
  await once(http.server, 'listening');
  const { port } = http.server.address() as AddressInfo;

  const stop = async (): Promise<void> => {
    http.startDraining();
    const closed = new Promise<void>((resolve) => http.server.close(() => resolve()));
    http.server.closeIdleConnections();
    const deadline = setTimeout(() => http.server.closeAllConnections(), config.SHUTDOWN_GRACE_MS);
    await closed;
    clearTimeout(deadline);
    await apollo.stop();
    await worker?.stop();
    await pool.end();
    smtp?.close();
  };

  return { url: `http://${config.host}:${port}/graphql`, port, application: app, pool, stop };
};

/** Development, when KINGDOM_ADMIN_EMAIL/PASSWORD are unset; printed at start-up and by the seed. */
export const DEVELOPMENT_ADMIN = { email: 'admin@kingdom.local', password: 'kingdom-admin' } as const;

/**
 * KINGDOM_ADMIN_EMAIL/PASSWORD create (once) an administrator holding every permission. Development has a default,
 * printed so the person at the keyboard can sign in; elsewhere there is no administrator unless configured.
 */
const ensureAdministrator = async (app: Application, config: Config, logger: AppLogger): Promise<void> => {
  const configured = config.KINGDOM_ADMIN_EMAIL && config.KINGDOM_ADMIN_PASSWORD;
  if (!configured && !config.isDevelopment) return;
  const email = config.KINGDOM_ADMIN_EMAIL ?? DEVELOPMENT_ADMIN.email;
  const password = config.KINGDOM_ADMIN_PASSWORD ?? DEVELOPMENT_ADMIN.password;
  const { created } = await app.bus.execute({ type: 'EnsureAdministrator', email, password, name: 'Administrator' });
  if (created && configured) logger.info({ email }, 'created the administrator account');
  // The start-up banner names it (src/platform/banner.ts); this line is for debugging only.
  if (!configured) {
    logger.debug(
      { email, password },
      'development administrator (set KINGDOM_ADMIN_EMAIL/PASSWORD to choose your own)',
    );
  }
};

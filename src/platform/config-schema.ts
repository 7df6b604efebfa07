import { z } from 'zod';

/** Digits only: `0x1F90`, `1e3` or blanks are mistakes in a setting, not numbers to guess at. */
const integer = (min: number, max: number) =>
  z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().min(min).max(max));

/**
 * Every environment variable the server reads, with its default. `.env.example` documents the same list.
 * A bad value stops start-up with one message naming the variable.
 */
export const environmentSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: integer(0, 65_535).default(4000),
    HOST: z.string().min(1).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** `pretty`: readable lines for a person (pino-pretty); `json`: one JSON object per line. Default: pretty in development. */
    LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    DATABASE_POOL_SIZE: integer(1, 1000).default(10),
    DATABASE_STATEMENT_TIMEOUT_MS: integer(1, 3_600_000).default(15_000),
    TRANSACTION_MAX_ATTEMPTS: integer(1, 100).default(5),
    TRANSACTION_RETRY_BASE_DELAY_MS: integer(0, 10_000).default(10),
    HTTP_BODY_LIMIT_BYTES: integer(1024, 50 * 1024 * 1024).default(100 * 1024),
    HTTP_REQUEST_TIMEOUT_MS: integer(1000, 600_000).default(30_000),
    HTTP_HEADERS_TIMEOUT_MS: integer(1000, 600_000).default(10_000),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: integer(1000, 600_000).default(5_000),
    SHUTDOWN_GRACE_MS: integer(0, 600_000).default(10_000),
    /**
     * On SIGTERM, how long /readyz answers 503 while the server still serves, before it stops accepting connections:
     * a load balancer polling /readyz stops sending it new requests first (its interval x unhealthy threshold).
     */
    SHUTDOWN_READINESS_DELAY_MS: integer(0, 600_000).default(0),
    JWT_ALGORITHM: z.enum(['HS256', 'RS256']).default('HS256'),
    JWT_SECRET: z.string().optional(),
    JWT_PRIVATE_KEY: z.string().optional(),
    JWT_KEY_ID: z
      .string()
      .regex(/^[\w.-]{1,64}$/, 'must be 1-64 letters, digits, _ . or -')
      .default('k1'),
    JWT_PREVIOUS_KEYS: z
      .string()
      .transform((raw, context) => {
        try {
          return z.record(z.string(), z.string()).parse(JSON.parse(raw));
        } catch {
          context.addIssue({ code: 'custom', message: 'must be a JSON object of key id -> key' });
          return z.NEVER;
        }
      })
      .optional(),
    /** Signs every cursor the API hands out (HMAC-SHA256), at least 32 bytes. Required in production. */
    CURSOR_SECRET: z.string().optional(),
    CURSOR_KEY_ID: z
      .string()
      .regex(/^[\w-]{1,64}$/, 'must be 1-64 letters, digits, _ or -')
      .default('c1'),
    /** Keys whose cursors are still accepted (rotation): a JSON object of key id -> secret. */
    CURSOR_PREVIOUS_KEYS: z
      .string()
      .transform((raw, context) => {
        try {
          return z
            .record(
              z.string().regex(/^[\w-]{1,64}$/),
              z.string().refine((key) => Buffer.byteLength(key) >= 32),
            )
            .parse(JSON.parse(raw));
        } catch {
          context.addIssue({
            code: 'custom',
            message: 'must be a JSON object of key id (1-64 letters, digits, _ or -) -> secret of at least 32 bytes',
          });
          return z.NEVER;
        }
      })
      .optional(),
    JWT_ISSUER: z.string().min(1).default('kingdom'),
    JWT_AUDIENCE: z.string().min(1).default('kingdom-api'),
    JWT_CLOCK_TOLERANCE_SECONDS: integer(0, 300).default(5),
    ACCESS_TOKEN_TTL_SECONDS: integer(30, 86_400).default(900),
    REFRESH_TOKEN_TTL_SECONDS: integer(60, 31_536_000).default(30 * 24 * 3600),
    LOGIN_MAX_FAILURES: integer(1, 100).default(5),
    LOGIN_LOCKOUT_SECONDS: integer(1, 86_400).default(300),
    /** Lifetime of a password reset link. */
    PASSWORD_RESET_TTL_MINUTES: integer(1, 1440).default(30),
    /** At most one reset email per account per this many seconds (0: as many as the rate limits allow). */
    PASSWORD_RESET_EMAIL_INTERVAL_SECONDS: integer(0, 86_400).default(60),
    /**
     * requestPasswordReset answers no sooner than this after the request arrived, known account or not, so its timing
     * does not tell whether an account exists (the known path commits a write; 0: no floor).
     */
    PASSWORD_RESET_MIN_RESPONSE_MS: integer(0, 10_000).default(250),
    /**
     * The web app's public address: links in emails point there (`/reset-password?token=...`), never to an address
     * taken from a request header. Required in production.
     */
    PUBLIC_URL: z
      .url({ protocol: /^https?$/ })
      .refine((url) => !/[?#]/.test(url), 'must not have a query or a fragment')
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
    KINGDOM_ADMIN_EMAIL: z.string().optional(),
    KINGDOM_ADMIN_PASSWORD: z.string().optional(),
    // GraphQL limits, all checked before any resolver runs (production defaults; 0 is never "off").
    GRAPHQL_MAX_DEPTH: integer(1, 1000).default(10),
    GRAPHQL_MAX_ALIASES: integer(1, 10_000).default(15),
    GRAPHQL_MAX_DIRECTIVES: integer(1, 10_000).default(50),
    GRAPHQL_MAX_TOKENS: integer(10, 1_000_000).default(1000),
    GRAPHQL_MAX_COST: integer(1, 10_000_000).default(5000),
    /**
     * Which operations run: `off` any valid one; `log` any, but those outside the manifest are logged and counted;
     * `enforce` only the manifest's (anything else is refused before parsing). Unset: log in production, else off.
     */
    TRUSTED_DOCUMENTS: z.enum(['off', 'log', 'enforce']).optional(),
    /** The trusted operations (Apollo's persisted query list format). Unset: persisted-query-manifest.json at the root. */
    TRUSTED_DOCUMENTS_MANIFEST: z.string().min(1).optional(),
    /**
     * Serve the schema as an Apollo Federation 2 subgraph for a supergraph router (docs/how-to/join-a-supergraph.md):
     * Product, Batch and User become entities, and the router's `_service` and `_entities` are added.
     */
    FEDERATION: z
      .enum(['true', 'false'])
      .default('false')
      .transform((value) => value === 'true'),
    /** The header the router sends its shared secret in (its config sets it on every subgraph request). */
    FEDERATION_ROUTER_SECRET_HEADER: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name (letters, digits and -)')
      .transform((name) => name.toLowerCase())
      .refine((name) => name !== 'authorization', "must not be authorization (the caller's token travels there)")
      .default('x-router-secret'),
    /**
     * The router's shared secret: with it set, only requests presenting it may use `_service` and `_entities`.
     * Required in production with FEDERATION=true; at least 32 bytes (e.g. `openssl rand -base64 48`).
     */
    FEDERATION_ROUTER_SECRET: z
      .string()
      .refine((secret) => Buffer.byteLength(secret) >= 32, 'must be at least 32 bytes, e.g. `openssl rand -base64 48`')
      .optional(),
    /** Comma-separated origins allowed to call the API from a browser; empty: no CORS headers at all. */
    CORS_ORIGINS: z
      .string()
      .transform((raw) =>
        raw
          .split(',')
          .map((origin) => origin.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.url({ protocol: /^https?$/ })))
      .default([]),
    /** Behind a reverse proxy, take the client address from X-Forwarded-For (the proxy's last hop). */
    TRUST_PROXY: z
      .enum(['true', 'false'])
      .default('false')
      .transform((value) => value === 'true'),
    RATE_LIMIT_WINDOW_SECONDS: integer(1, 86_400).default(900),
    /** Authentication attempts (logIn, signUp, refreshSession) per account per window. */
    RATE_LIMIT_AUTH_PER_ACCOUNT: integer(1, 1_000_000).default(20),
    /** Authentication attempts per client address per window. */
    RATE_LIMIT_AUTH_PER_ADDRESS: integer(1, 1_000_000).default(100),
    // Subscriptions: WebSocket (graphql-transport-ws) on the same port and path as HTTP.
    /** Subscriptions one WebSocket may run at once; one more is refused with TOO_MANY_SUBSCRIPTIONS. */
    SUBSCRIPTIONS_PER_CONNECTION: integer(1, 10_000).default(20),
    /** WebSockets one user (anonymous: one client address) may hold open at once; one more is closed with 4429. */
    WEBSOCKET_CONNECTIONS_PER_USER: integer(1, 1_000_000).default(10),
    /** How often each WebSocket is pinged; one that has not answered the previous ping by then is dropped. */
    WEBSOCKET_KEEP_ALIVE_MS: integer(1000, 600_000).default(12_000),
    // The external bus: background tasks (src/worker.ts, or AWS Lambda behind SQS).
    /** Where jobs run: `graphile-worker` (npm run worker) or `sqs` (the worker forwards them to SQS_QUEUE_URL). */
    EXTERNAL_BUS: z.enum(['graphile-worker', 'sqs']).default('graphile-worker'),
    SQS_QUEUE_URL: z.url({ protocol: /^https?$/ }).optional(),
    AWS_REGION: z.string().min(1).optional(),
    WORKER_CONCURRENCY: integer(1, 100).default(4),
    /** Run the job worker inside the API process too. Default: yes in development (one command), no elsewhere. */
    WORKER_IN_API: z.enum(['true', 'false']).optional(),
    /** Attempts per job, with graphile-worker's exponential backoff; then it stays failed (Query.failedJobs). */
    JOB_MAX_ATTEMPTS: integer(1, 100).default(10),
    /** `table`: every email is a row of `sent_emails` (development, tests); `smtp`: sent through SMTP_URL. */
    EMAIL_TRANSPORT: z.enum(['table', 'smtp']).default('table'),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
    EMAIL_FROM: z.string().min(3).default('Kingdom <no-reply@kingdom.local>'),
    /** Comma-separated addresses told when an order line finds no stock (OutOfStock). */
    OUT_OF_STOCK_NOTIFY: z
      .string()
      .transform((raw) =>
        raw
          .split(',')
          .map((address) => address.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.email()))
      .default(['warehouse@kingdom.local']),
    /**
     * Where traces go (OTLP, e.g. http://otel-collector:4318); the other OTEL_* variables of the OpenTelemetry SDK
     * apply too. Unset: no tracing at all (nothing is loaded or registered).
     */
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
    /** A Prometheus scrape endpoint (GET /metrics) on this port, never the API's own. Unset: no metrics at all. */
    METRICS_PORT: integer(1, 65_535).optional(),
    EMBEDDED_POSTGRES_PORT: integer(1, 65_535).default(54_329),
    /**
     * Default: `.data/postgres` in the checkout; as root in a checkout the unprivileged `postgres` user cannot reach,
     * a folder of the checkout's own under /var/tmp (src/platform/database/data-directory.ts).
     */
    EMBEDDED_POSTGRES_DIR: z.string().min(1).optional(),
    /**
     * Fill a database without products with the development data set (src/seed.ts) at start-up. Default: yes for the
     * embedded Postgres (`npm start`; `npm run dev` sets it), no for DATABASE_URL. Development only.
     */
    SEED_EMPTY_DATABASE: z.enum(['true', 'false']).optional(),
  })
  .superRefine((env, context) => {
    const refuse = (variable: string, message: string): void =>
      void context.addIssue({ code: 'custom', path: [variable], message });
    if (env.NODE_ENV === 'production' && !env.DATABASE_URL) {
      refuse('DATABASE_URL', 'is required in production (the embedded Postgres is for development and tests only)');
    }
    if (env.NODE_ENV === 'production' && !env.PUBLIC_URL) {
      refuse('PUBLIC_URL', 'is required in production (links in emails point there), e.g. https://kingdom.example.com');
    }
    if (env.NODE_ENV === 'production' && env.FEDERATION && !env.FEDERATION_ROUTER_SECRET) {
      refuse(
        'FEDERATION_ROUTER_SECRET',
        'is required in production with FEDERATION=true (only the router may use _service and _entities)',
      );
    }
    if (env.EXTERNAL_BUS === 'sqs' && !env.SQS_QUEUE_URL) refuse('SQS_QUEUE_URL', 'is required with EXTERNAL_BUS=sqs');
    if (env.EMAIL_TRANSPORT === 'smtp' && !env.SMTP_URL) refuse('SMTP_URL', 'is required with EMAIL_TRANSPORT=smtp');
    if (env.METRICS_PORT !== undefined && env.METRICS_PORT === env.PORT) {
      refuse('METRICS_PORT', 'must differ from PORT: metrics are never served on the public port');
    }
    if (env.SEED_EMPTY_DATABASE === 'true' && env.NODE_ENV !== 'development') {
      refuse('SEED_EMPTY_DATABASE', 'is for development only (the seeded accounts have published passwords)');
    }
    if (Boolean(env.KINGDOM_ADMIN_EMAIL) !== Boolean(env.KINGDOM_ADMIN_PASSWORD)) {
      refuse('KINGDOM_ADMIN_PASSWORD', 'KINGDOM_ADMIN_EMAIL and KINGDOM_ADMIN_PASSWORD go together');
    }
  });

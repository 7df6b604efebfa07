import { z } from 'zod';

/** Digits only: `0x1F90`, `1e3` or blanks are mistakes in a setting, not numbers to guess at. */
const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min).max(max));

/**
 * Every environment variable the server reads, with its default. `.env.example` documents the same list.
 * A bad value stops start-up with one message naming the variable.
 */
const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: integer(0, 65_535).default(4000),
    HOST: z.string().min(1).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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
    EMBEDDED_POSTGRES_PORT: integer(1, 65_535).default(54_329),
    EMBEDDED_POSTGRES_DIR: z.string().min(1).default('.data/postgres'),
  })
  .superRefine((env, context) => {
    if (env.NODE_ENV === 'production' && !env.DATABASE_URL) {
      context.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message: 'is required in production (the embedded Postgres is for development and tests only)',
      });
    }
  });

export type Environment = z.infer<typeof schema>;

export type Config = Environment & {
  readonly isProduction: boolean;
  readonly isDevelopment: boolean;
  /** Loopback in development so a laptop does not serve its network; every interface in containers. */
  readonly host: string;
};

export class ConfigError extends Error {
  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates configuration; empty strings count as unset, as in most .env tooling. */
export const loadConfig = (environment: NodeJS.ProcessEnv = process.env): Config => {
  const set = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== ''));
  const parsed = schema.safeParse(set);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const env = parsed.data;
  return {
    ...env,
    isProduction: env.NODE_ENV === 'production',
    isDevelopment: env.NODE_ENV === 'development',
    host: env.HOST ?? (env.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1'),
  };
};

/** The variable names the config reads: docs and deployment files are checked against this. */
export const configVariables = (): readonly string[] => Object.keys(schema.shape);

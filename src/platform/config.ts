/**
 * Reading the configuration: the environment, validated against the variables of config-schema.ts, with what every
 * process derives from them (production or not, the listening host, the log format...). A bad value is one
 * ConfigError naming every offending variable.
 */
import type { z } from 'zod';
import { environmentSchema as schema } from './config-schema.ts';

export type Environment = z.infer<typeof schema>;

/**
 * The name of every environment variable the configuration reads, in declaration order. `.env.example` and
 * `docker-compose.yml` must name exactly these (tests/unit/deployment-files.test.ts).
 */
export const CONFIG_VARIABLES = Object.keys(schema.shape) as ReadonlyArray<keyof Environment>;

/** Each variable's own schema: what it accepts and its default (`parse(undefined)`), for documentation checks. */
export const configVariableSchemas = schema.shape;

export type Config = Environment & {
  readonly isProduction: boolean;
  readonly isDevelopment: boolean;
  /** WORKER_IN_API resolved against its default. */
  readonly runsWorkerInApi: boolean;
  /** Loopback in development so a laptop does not serve its network; every interface in containers. */
  readonly host: string;
  /** PUBLIC_URL without a trailing slash; outside production it defaults to the development server's address. */
  readonly publicUrl: string;
  /** LOG_FORMAT resolved against its default: readable in development, JSON everywhere else. */
  readonly logFormat: 'json' | 'pretty';
};

/** Where links in emails point outside production when PUBLIC_URL is unset: `npm start` on its default port. */
export const DEFAULT_PUBLIC_URL = 'http://127.0.0.1:4000';

export class ConfigError extends Error {
  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The signing key checks: only the API signs and verifies tokens and cursors (workers and Lambda need no key). */
const signingKeyProblems = (env: Environment): string[] => {
  const problems: string[] = [];
  // A weak key is refused everywhere; a missing one only in production (elsewhere one is generated, and logged).
  const weakSecret = env.JWT_SECRET !== undefined && Buffer.byteLength(env.JWT_SECRET) < 32;
  if (env.JWT_ALGORITHM === 'HS256' && (weakSecret || (env.NODE_ENV === 'production' && !env.JWT_SECRET))) {
    problems.push('JWT_SECRET: must be at least 32 bytes (256 bits) of secret, e.g. `openssl rand -base64 48`');
  }
  if (env.JWT_ALGORITHM === 'RS256' && env.NODE_ENV === 'production' && !env.JWT_PRIVATE_KEY) {
    problems.push('JWT_PRIVATE_KEY: is required with JWT_ALGORITHM=RS256 (an RSA private key of 2048+ bits in PEM)');
  }
  // Cursors are signed by the API alone, the same way: a weak key nowhere, a missing one only outside production.
  const weakCursorSecret = env.CURSOR_SECRET !== undefined && Buffer.byteLength(env.CURSOR_SECRET) < 32;
  if (weakCursorSecret || (env.NODE_ENV === 'production' && !env.CURSOR_SECRET)) {
    problems.push('CURSOR_SECRET: must be at least 32 bytes (256 bits) of secret, e.g. `openssl rand -base64 48`');
  }
  return problems;
};

/**
 * Reads and validates configuration; empty strings count as unset, as in most .env tooling. Background processes
 * (the worker, the Lambda handler) pass `{ signsTokens: false }`: they never see a token, so need no key.
 */
export const loadConfig = (
  environment: NodeJS.ProcessEnv = process.env,
  options: { readonly signsTokens?: boolean } = {},
): Config => {
  const set = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== ''));
  const parsed = schema.safeParse(set);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  if (parsed.success && options.signsTokens !== false) problems.push(...signingKeyProblems(parsed.data));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const env = parsed.data;
  return {
    ...env,
    isProduction: env.NODE_ENV === 'production',
    isDevelopment: env.NODE_ENV === 'development',
    runsWorkerInApi: (env.WORKER_IN_API ?? String(env.NODE_ENV === 'development')) === 'true',
    host: env.HOST ?? (env.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1'),
    publicUrl: env.PUBLIC_URL ?? DEFAULT_PUBLIC_URL,
    logFormat: env.LOG_FORMAT ?? (env.NODE_ENV === 'development' ? 'pretty' : 'json'),
  };
};

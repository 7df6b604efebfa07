import { createHash } from 'node:crypto';
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { DatabasePool } from 'slonik';
import { DomainError } from '../../core/errors.ts';
import type { AuthRateLimit } from '../graphql/context.ts';
import { slonikStoreClient } from './rate-limit-store.ts';

export type AuthRateLimitSettings = {
  readonly windowSeconds: number;
  readonly perAccount: number;
  readonly perAddress: number;
};

/** Refusal of an over-limit attempt; formatted as `RATE_LIMITED` with `extensions.retryAfterSeconds`. */
export const rateLimited = (retryAfterSeconds: number): DomainError =>
  new DomainError('RuleViolation', 'RateLimited', 'Too many attempts; try again later', { retryAfterSeconds });

/** Emails can be long and are personal data: the limiter keeps a fixed-size digest of the normalised one. */
const accountKey = (account: string): string =>
  createHash('sha256').update(account.trim().toLowerCase(), 'utf8').digest('base64url');

/**
 * Where the counters live. `postgres`: the `rate_limits` table (migrations), shared by every instance on the
 * database, so N instances allow the limit once, not N times: what every process uses. `memory`: this process only,
 * for unit tests that have no database.
 */
export type RateLimitStore = { readonly postgres: DatabasePool } | { readonly memory: true };

/** The table the migration creates with rate-limiter-flexible's own schema; the library never creates it. */
export const RATE_LIMIT_TABLE = 'rate_limits';

const limiter = (store: RateLimitStore, keyPrefix: string, points: number, duration: number): RateLimiterAbstract =>
  'postgres' in store
    ? new RateLimiterPostgres({
        storeClient: slonikStoreClient(store.postgres),
        storeType: 'pool',
        tableName: RATE_LIMIT_TABLE,
        tableCreated: true,
        keyPrefix,
        points,
        duration,
      })
    : new RateLimiterMemory({ keyPrefix, points, duration });

/**
 * Limits authentication attempts (logIn, signUp, refreshSession) per account and per client address, each over a
 * fixed window. Every attempt counts against both buckets, successful or not, and whether or not the account
 * exists, so the limiter's answer never reveals which emails are registered. A store that cannot be reached fails
 * the attempt with its error (SERVICE_UNAVAILABLE for a database that is down), never lets it through uncounted.
 */
export const createAuthRateLimiter = (
  settings: AuthRateLimitSettings,
  store: RateLimitStore,
): { forAddress(address: string): AuthRateLimit } => {
  const byAccount = limiter(store, 'auth-account', settings.perAccount, settings.windowSeconds);
  const byAddress = limiter(store, 'auth-address', settings.perAddress, settings.windowSeconds);

  return {
    forAddress: (address) => ({
      authAttempt: async ({ account }) => {
        const attempts = [byAddress.consume(address)];
        if (account !== undefined) attempts.push(byAccount.consume(accountKey(account)));
        const outcomes = await Promise.allSettled(attempts);
        let waitMs = 0;
        for (const outcome of outcomes) {
          if (outcome.status === 'fulfilled') continue;
          // The limiter rejects with a RateLimiterRes when over the limit, and with an Error only when it is broken.
          if (!(outcome.reason instanceof RateLimiterRes)) throw outcome.reason;
          waitMs = Math.max(waitMs, outcome.reason.msBeforeNext);
        }
        if (outcomes.some((outcome) => outcome.status === 'rejected'))
          throw rateLimited(Math.max(1, Math.ceil(waitMs / 1000)));
      },
    }),
  };
};

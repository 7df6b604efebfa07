import { createHash } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { DomainError } from '../../core/errors.ts';
import type { AuthRateLimit } from '../graphql/context.ts';

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
 * Limits authentication attempts (logIn, signUp, refreshSession) per account and per client address, each over a
 * fixed window. Every attempt counts against both buckets, successful or not, and whether or not the account
 * exists, so the limiter's answer never reveals which emails are registered.
 *
 * The counters live in this process's memory (RateLimiterMemory): with several API instances each would allow
 * the full limit, so a multi-instance deployment needs rate-limiter-flexible's Postgres store (RateLimiterPostgres)
 * behind the same port instead.
 */
export const createAuthRateLimiter = (
  settings: AuthRateLimitSettings,
): { forAddress(address: string): AuthRateLimit } => {
  const byAccount = new RateLimiterMemory({
    keyPrefix: 'auth-account',
    points: settings.perAccount,
    duration: settings.windowSeconds,
  });
  const byAddress = new RateLimiterMemory({
    keyPrefix: 'auth-address',
    points: settings.perAddress,
    duration: settings.windowSeconds,
  });

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

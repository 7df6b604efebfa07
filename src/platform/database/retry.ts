import { ConcurrentUpdateError, conflictAfterRetries } from '../../core/errors.ts';

/** SQLSTATEs after which re-running the whole transaction can succeed: serialization_failure, deadlock_detected. */
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);

/** slonik 49 lets pg's DatabaseError through for these, sometimes wrapped; look one level down too. */
export const isRetryableTransactionError = (error: unknown): boolean => {
  if (error instanceof ConcurrentUpdateError) return true;
  const code = (candidate: unknown): unknown =>
    typeof candidate === 'object' && candidate !== null && 'code' in candidate ? candidate.code : undefined;
  const cause = typeof error === 'object' && error !== null && 'cause' in error ? error.cause : undefined;
  return RETRYABLE_SQLSTATES.has(String(code(error))) || RETRYABLE_SQLSTATES.has(String(code(cause)));
};

export type RetryPolicy = {
  /** Total attempts, the first included. */
  readonly maxAttempts: number;
  /** Backoff before attempt n+1 is a random delay in [0, baseDelayMs * 2^(n-1)] ("full jitter"). */
  readonly baseDelayMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly onRetry?: (attempt: number, error: unknown) => void;
};

/** However many attempts are configured, no single wait grows past a second. */
const MAX_BACKOFF_MS = 1000;

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, or uses up its attempts; then the caller
 * gets a Conflict instead of a raw database error. Full jitter spreads out colliding writers.
 */
export const withTransactionRetries = async <T>(
  policy: RetryPolicy,
  attempt: (n: number) => Promise<T>,
): Promise<T> => {
  const sleep = policy.sleep ?? defaultSleep;
  const random = policy.random ?? Math.random;
  for (let n = 1; ; n += 1) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!isRetryableTransactionError(error)) throw error;
      if (n >= policy.maxAttempts) throw conflictAfterRetries(n, error);
      policy.onRetry?.(n, error);
      await sleep(Math.floor(random() * Math.min(MAX_BACKOFF_MS, policy.baseDelayMs * 2 ** (n - 1))));
    }
  }
};

import { jest } from '@jest/globals';
import { ConcurrentUpdateError, DomainError } from '../../../src/core/errors.ts';
import { withTransactionRetries, type RetryPolicy } from '../../../src/platform/database/retry.ts';

/** A policy that records its backoff delays instead of sleeping. */
const recordingPolicy = (overrides: Partial<RetryPolicy> = {}) => {
  const delays: number[] = [];
  const policy: RetryPolicy = {
    maxAttempts: 5,
    baseDelayMs: 100,
    random: () => 0.5,
    sleep: async (ms) => void delays.push(ms),
    ...overrides,
  };
  return { policy, delays };
};

/** An attempt that fails with `error` the first `failures` times, then answers 'done'. */
const failingTimes = (failures: number, error: unknown) =>
  jest.fn(async (n: number) => {
    if (n <= failures) throw error;
    return 'done';
  });

const serializationFailure = Object.assign(new Error('could not serialize access'), { code: '40001' });

describe('withTransactionRetries', () => {
  it.each([
    ['a serialization failure (SQLSTATE 40001)', serializationFailure],
    ['a deadlock (SQLSTATE 40P01)', Object.assign(new Error('deadlock detected'), { code: '40P01' })],
    ['a plain object carrying code 40001', { code: '40001' }],
    ['a stale aggregate version (ConcurrentUpdateError)', new ConcurrentUpdateError('Product SKU-1')],
    ['a wrapper error whose cause has code 40001', new Error('query failed', { cause: { code: '40001' } })],
  ])('runs the transaction again after %s, and returns what the retry returns', async (_name, error) => {
    const { policy } = recordingPolicy();
    const attempt = failingTimes(1, error);

    await expect(withTransactionRetries(policy, attempt)).resolves.toBe('done');
    expect(attempt.mock.calls).toEqual([[1], [2]]);
  });

  it.each([
    ['a unique violation (SQLSTATE 23505)', Object.assign(new Error('duplicate key'), { code: '23505' })],
    ['a domain error', new DomainError('InvalidInput', 'InvalidInput', 'quantity must be positive')],
    ['an error without a code', new Error('connection reset')],
    ['a thrown string', 'oops'],
    ['null', null],
  ])('does not retry %s: the caller gets it unchanged after one attempt', async (_name, error) => {
    const { policy, delays } = recordingPolicy();
    const attempt = failingTimes(1, error);

    await expect(withTransactionRetries(policy, attempt)).rejects.toBe(error);
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(delays).toEqual([]);
  });

  it('gives up after maxAttempts and reports a Conflict instead of the database error', async () => {
    const { policy } = recordingPolicy({ maxAttempts: 3 });
    const attempt = failingTimes(Infinity, serializationFailure);

    const rejection = withTransactionRetries(policy, attempt);

    await expect(rejection).rejects.toBeInstanceOf(DomainError);
    await expect(rejection).rejects.toMatchObject({ category: 'Conflict', details: { attempts: 3 } });
    expect(attempt).toHaveBeenCalledTimes(3);
  });

  it('succeeds on the last allowed attempt', async () => {
    const { policy } = recordingPolicy({ maxAttempts: 3 });

    await expect(withTransactionRetries(policy, failingTimes(2, serializationFailure))).resolves.toBe('done');
  });

  it('makes exactly one attempt when maxAttempts is 1', async () => {
    const { policy, delays } = recordingPolicy({ maxAttempts: 1 });
    const attempt = failingTimes(1, serializationFailure);

    await expect(withTransactionRetries(policy, attempt)).rejects.toMatchObject({ category: 'Conflict' });
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(delays).toEqual([]);
  });

  it('doubles the backoff ceiling with every retry (full jitter: random share of base * 2^(n-1))', async () => {
    const { policy, delays } = recordingPolicy({ maxAttempts: 4, baseDelayMs: 100, random: () => 0.5 });

    await withTransactionRetries(policy, failingTimes(3, serializationFailure));

    expect(delays).toEqual([50, 100, 200]);
  });

  it.each([
    ['the smallest', () => 0],
    ['the largest', () => 1 - Number.EPSILON],
  ])('keeps every backoff within [0, base * 2^(n-1)] ms for %s random draw', async (_name, random) => {
    const baseDelayMs = 10;
    const { policy, delays } = recordingPolicy({ maxAttempts: 6, baseDelayMs, random });

    await withTransactionRetries(policy, failingTimes(5, serializationFailure));

    expect(delays).toHaveLength(5);
    delays.forEach((delay, index) => {
      expect(Number.isInteger(delay)).toBe(true);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(baseDelayMs * 2 ** index);
    });
  });

  it('tells onRetry which attempt failed and why, before each retry only', async () => {
    const onRetry = jest.fn();
    const { policy } = recordingPolicy({ maxAttempts: 3, onRetry });

    await expect(withTransactionRetries(policy, failingTimes(Infinity, serializationFailure))).rejects.toThrow();

    expect(onRetry.mock.calls).toEqual([
      [1, serializationFailure],
      [2, serializationFailure],
    ]);
  });
});

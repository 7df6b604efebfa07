import { round } from './cli.ts';

export type Stats = {
  readonly count: number;
  readonly medianMs: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly minMs: number;
  readonly maxMs: number;
};

/** Nearest-rank percentile over ascending samples (p in [0, 1]). */
export const percentile = (sorted: ArrayLike<number>, p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;

/**
 * Nearest-rank p90/p99; the median averages the middle two of an even count. Accepts a plain array or a typed
 * array (load runs keep hundreds of thousands of samples in a Float64Array).
 */
export const statistics = (samples: ArrayLike<number>): Stats => {
  const sorted = Float64Array.from(samples).sort();
  if (sorted.length === 0)
    return { count: 0, medianMs: NaN, p90Ms: NaN, p99Ms: NaN, meanMs: NaN, minMs: NaN, maxMs: NaN };
  const middle = sorted.length / 2;
  const median = sorted.length % 2 === 0 ? (sorted[middle - 1]! + sorted[middle]!) / 2 : sorted[Math.floor(middle)]!;
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count: sorted.length,
    medianMs: round(median),
    p90Ms: round(percentile(sorted, 0.9)),
    p99Ms: round(percentile(sorted, 0.99)),
    meanMs: round(sum / sorted.length),
    minMs: round(sorted[0]!),
    maxMs: round(sorted.at(-1)!),
  };
};

/** a / b rounded, or null when either side is missing or b is 0. */
export const ratio = (a: number | null | undefined, b: number | null | undefined, digits = 3): number | null =>
  a === null || a === undefined || b === null || b === undefined || b === 0 || !Number.isFinite(a / b)
    ? null
    : round(a / b, digits);

export const median = (values: readonly number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return sorted.length % 2 === 0 ? (sorted[middle - 1]! + sorted[middle]!) / 2 : sorted[Math.floor(middle)]!;
};

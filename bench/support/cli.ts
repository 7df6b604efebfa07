/** Small helpers every benchmark script shares: argument checks, progress lines on stderr, rounding. */

/** `--name` as a whole number within [min, max]; `_` separators allowed (1_000_000). */
export const wholeNumber = (name: string, raw: string, min: number, max: number): number => {
  const value = Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`--${name} must be a whole number from ${min} to ${max}, not ${raw}`);
  }
  return value;
};

/** `--name` as a number within [min, max] (fractions allowed). */
export const decimalNumber = (name: string, raw: string, min: number, max: number): number => {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`--${name} must be a number from ${min} to ${max}, not ${raw}`);
  }
  return value;
};

const startedAt = performance.now();

/** Seconds since the script started, padded for aligned progress lines. */
export const elapsed = (): string => `${((performance.now() - startedAt) / 1000).toFixed(1).padStart(6)}s`;

export const secondsSinceStart = (): number => (performance.now() - startedAt) / 1000;

/** Progress goes to stderr, so stdout carries only the final summary. */
export const progress = (message: string): void => void process.stderr.write(`[${elapsed()}] ${message}\n`);

export const round = (value: number, digits = 3): number => Number(value.toFixed(digits));

export const errorText = (error: unknown): string =>
  error instanceof Error ? (error.stack ?? error.message) : String(error);

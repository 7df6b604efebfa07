import { DomainError } from '../../src/core/errors.ts';

/** The DomainError `action` throws, so its category, name and details can be asserted together. */
export const domainErrorOf = (action: () => unknown): DomainError => {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, nothing was thrown');
};

/** Freezes a value deeply, so a domain function that mutates its input throws in the test. */
export const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
};

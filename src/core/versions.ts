import { DomainError } from './errors.ts';

/**
 * Optimistic concurrency at the API: a client that read an aggregate at version 7 may say so (`expectedVersion`),
 * and its change then applies to version 7 only. The unit of work's own version check protects one transaction
 * from another; this protects a person's decision, made on what they saw, from a change they never saw.
 */
export const staleVersion = (what: string, expected: number, current: number): DomainError =>
  new DomainError(
    'Conflict',
    'StaleVersion',
    `The ${what} changed since you read it (it is at version ${current}, not ${expected}): read it again`,
    { field: 'input.expectedVersion', expectedVersion: expected, currentVersion: current },
  );

/** Call right after loading the aggregate, before deciding anything: a stale version changes nothing. */
export const expectVersion = (what: string, current: number, expected: number | null | undefined): void => {
  if (expected !== null && expected !== undefined && expected !== current) throw staleVersion(what, expected, current);
};

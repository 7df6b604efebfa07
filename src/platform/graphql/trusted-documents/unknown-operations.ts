import type { Logger } from '../../../core/ports.ts';
import type { UnknownOperation } from './gate.ts';

export type UnknownOperationLog = {
  readonly record: (operation: UnknownOperation) => void;
  /** Unknown operations seen since start-up (a seam for a metrics counter). */
  readonly count: () => number;
};

/** Distinct hashes remembered before the memory starts over (a flood of distinct documents cannot grow it). */
const REMEMBERED = 1000;

/**
 * Counts every unknown operation and logs each distinct one (name, hash) the first time it comes, with the count
 * so far: enough to list what a client team still has to add before enforcing, without a log line per request
 * for a client that sends the same unknown operation all day.
 */
export const createUnknownOperationLog = (logger: Logger): UnknownOperationLog => {
  let count = 0;
  const logged = new Set<string>();
  return {
    count: () => count,
    record: ({ hash, operationName, refused }) => {
      count += 1;
      if (logged.has(hash)) return;
      if (logged.size >= REMEMBERED) logged.clear();
      logged.add(hash);
      logger.warn(
        { operationName, hash, refused, unknownOperations: count },
        refused
          ? 'refused an operation that is not in the trusted documents'
          : 'ran an operation that is not in the trusted documents (TRUSTED_DOCUMENTS=log)',
      );
    },
  };
};

/**
 * One subscriber's queue of changes, as the async iterator a Subscription field's `subscribe` returns. Written by
 * hand rather than as an async generator: `return()` must end it at once, also while it waits for the next change
 * (an async generator's `return()` waits for the pending `next()` to settle, i.e. for a change that may never come,
 * and graphql-ws awaits it when a client completes or disconnects).
 */
import type { Change } from '../graphql/context.ts';

export type Follower = {
  readonly iterator: AsyncIterableIterator<Change>;
  /** Queues a change; a change already waiting is not queued twice. False once more than `maxPending` wait. */
  push(change: Change): boolean;
  /** Ends the iteration with this error (after what is already queued is dropped: it can no longer be trusted). */
  fail(error: Error): void;
};

export const createFollower = (maxPending: number, onEnd: () => void): Follower => {
  const queue: Change[] = [];
  const waiting = new Set<string>();
  let wake: (() => void) | undefined;
  let ended = false;
  let failure: Error | undefined;

  const end = (): void => {
    if (ended) return;
    ended = true;
    queue.length = 0;
    waiting.clear();
    onEnd();
    wake?.();
  };

  const iterator: AsyncIterableIterator<Change> = {
    async next(): Promise<IteratorResult<Change>> {
      while (queue.length === 0 && !ended) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      if (failure) {
        const error = failure;
        failure = undefined;
        throw error;
      }
      const change = queue.shift();
      if (change === undefined) return { done: true, value: undefined };
      waiting.delete(JSON.stringify(change));
      return { done: false, value: change };
    },
    async return(): Promise<IteratorResult<Change>> {
      end();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };

  return {
    iterator,
    push(change) {
      if (ended) return true;
      const key = JSON.stringify(change);
      if (waiting.has(key)) return true;
      if (queue.length >= maxPending) return false;
      waiting.add(key);
      queue.push(change);
      wake?.();
      return true;
    },
    fail(error) {
      if (ended) return;
      failure = error;
      end();
    },
  };
};

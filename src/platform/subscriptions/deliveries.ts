/**
 * graphql-js's `subscribe`, except that each change is executed with a context of its own, made when it arrives:
 * the caller's permissions and views of that moment, so a role revoked since the last delivery applies to the next
 * one (the field's @auth runs again), and nothing one delivery loaded is served stale to the next. Then:
 * - a change the field resolves to null, without an error, sends nothing (gone, or not readable by this caller);
 * - an error on the field itself ends the subscription with it (the protocol's `error` message), e.g. NOT_FOUND
 *   once the caller may no longer read what it follows: no more deliveries, and the client is told why;
 * - anything else is delivered as it is, nested errors included (as a query would answer it).
 */
import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult, type GraphQLError } from 'graphql';

type Results = AsyncIterableIterator<ExecutionResult>;
type Outcome = { readonly send: ExecutionResult } | { readonly skip: true } | { readonly end: GraphQLError };

const isAsyncIterable = (value: unknown): value is AsyncIterator<unknown> & AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

const outcomeOf = (result: ExecutionResult): Outcome => {
  const onTheField = result.errors?.find((error) => error.path?.length === 1);
  if (onTheField) return { end: onTheField };
  const values = Object.values(result.data ?? {});
  if (!result.errors && values.length === 1 && values[0] === null) return { skip: true };
  return { send: result };
};

/**
 * The results of `source`'s changes, one execution each. Written by hand (not an async generator) so that
 * `return()` ends it at once, also while it waits for a change.
 */
const deliveries = (source: AsyncIterator<unknown>, run: (change: unknown) => Promise<ExecutionResult>): Results => {
  let done = false;
  const finish = async (): Promise<IteratorResult<ExecutionResult>> => {
    if (!done) {
      done = true;
      await source.return?.();
    }
    return { done: true, value: undefined };
  };
  const results: Results = {
    async next() {
      while (!done) {
        let step: IteratorResult<unknown>;
        try {
          step = await source.next();
        } catch (error) {
          // The source ended itself with an error (SUBSCRIPTION_INTERRUPTED): it is the subscription's.
          done = true;
          throw error;
        }
        if (step.done) return finish();
        const outcome = outcomeOf(await run(step.value));
        if (done) break;
        if ('skip' in outcome) continue;
        if ('end' in outcome) {
          await finish();
          throw outcome.end;
        }
        return { done: false, value: outcome.send };
      }
      return { done: true, value: undefined };
    },
    return: finish,
    async throw(error: unknown) {
      await finish();
      throw error;
    },
    [Symbol.asyncIterator]: () => results,
  };
  return results;
};

/**
 * Deliveries that would be the very same execution, run once: one change, one operation with the same variables,
 * and callers for whom it cannot answer differently (the same user, a user with the product open in ten tabs; or
 * users with equal permissions, for a feed that says its answer depends on nothing else). Keyed by the change
 * object itself, which the fan-out hands to every subscriber of it, so an entry lives exactly as long as that
 * change is being delivered.
 */
export type SharedDeliveries = {
  run(change: object, key: string, execute: () => Promise<ExecutionResult>): Promise<ExecutionResult>;
};

export const createSharedDeliveries = (): SharedDeliveries => {
  const byChange = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();
  return {
    run(change, key, run) {
      const byKey = byChange.get(change) ?? new Map<string, Promise<ExecutionResult>>();
      byChange.set(change, byKey);
      const result = byKey.get(key) ?? run();
      byKey.set(key, result);
      return result;
    },
  };
};

/**
 * Subscribes (running the field's guarded `subscribe` with `args.contextValue`), then executes every change with
 * `contextFor(change)`, once per `sharing.key(change)` when given (see SharedDeliveries: the key must tell apart
 * every caller and operation that could be answered differently). A refusal when subscribing comes back as a result
 * with errors, as graphql-js answers it.
 */
export const subscribeWithFreshContexts = async (
  args: ExecutionArgs,
  contextFor: (change: unknown) => unknown,
  sharing?: { readonly deliveries: SharedDeliveries; readonly key: (change: object) => Promise<string> },
): Promise<Results | ExecutionResult> => {
  const source = await createSourceEventStream(args);
  if (!isAsyncIterable(source)) return source as ExecutionResult;
  return deliveries(source, async (change) => {
    const run = async () => execute({ ...args, rootValue: change, contextValue: contextFor(change) });
    if (!sharing || typeof change !== 'object' || change === null) return run();
    return sharing.deliveries.run(change, await sharing.key(change), run);
  });
};

/**
 * The pool's limit, held in front of slonik. slonik queues a call when every connection is busy or being opened,
 * and serves it when one is released; while the database is down none ever is, and it rejects queued calls only
 * when no connection attempt is pending, which under load there always is. So a request that queued at the start of
 * an outage hung until the database came back. Here a call waits for its turn at most `maxWaitMs` (the statement
 * timeout), and when a call fails because the database is unavailable, every call still waiting fails with it at
 * once: their clients hear SERVICE_UNAVAILABLE now, not after the outage. slonik, given the same size, never queues.
 */
import { ConnectionError, type DatabasePool } from 'slonik';
import { isDatabaseUnavailable } from '../graphql/database-unavailable.ts';

export type PoolUsage = {
  /** Calls holding (or opening) a connection. */
  readonly inUse: number;
  /** Calls waiting for their turn. */
  readonly waiting: number;
  readonly size: number;
};

/** Every method that takes a connection from the pool for its duration. */
const GATED = [
  'any',
  'anyFirst',
  'exists',
  'many',
  'manyFirst',
  'maybeOne',
  'maybeOneFirst',
  'one',
  'oneFirst',
  'query',
  'stream',
  'transaction',
  'connect',
] as const;

type Waiter = { readonly go: () => void; readonly fail: (error: Error) => void };

const usageByPool = new WeakMap<DatabasePool, () => PoolUsage>();

/** How busy a pool made by createDatabasePool is (for metrics); undefined for any other pool. */
export const poolUsage = (pool: DatabasePool): PoolUsage | undefined => usageByPool.get(pool)?.();

export const gatePool = (pool: DatabasePool, options: { readonly size: number; readonly maxWaitMs: number }) => {
  const { size, maxWaitMs } = options;
  let inUse = 0;
  const waiting: Waiter[] = [];

  const turn = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const waiter: Waiter = {
        go: () => {
          clearTimeout(timer);
          resolve();
        },
        fail: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        waiting.splice(waiting.indexOf(waiter), 1);
        reject(new ConnectionError(`No database connection became free within ${maxWaitMs} ms`));
      }, maxWaitMs);
      waiting.push(waiter);
    });
  /** The next waiter inherits the connection slot; without one, the slot is free. */
  const release = (): void => {
    const next = waiting.shift();
    if (next) next.go();
    else inUse -= 1;
  };
  const failWaiting = (cause: Error): void => {
    for (const waiter of waiting.splice(0)) waiter.fail(new ConnectionError('The database is unavailable', { cause }));
  };

  const gated =
    <Args extends unknown[], Result>(method: (...args: Args) => Promise<Result>) =>
    async (...args: Args): Promise<Result> => {
      if (inUse < size) inUse += 1;
      else await turn();
      try {
        return await method(...args);
      } catch (error) {
        if (isDatabaseUnavailable(error)) failWaiting(error as Error);
        throw error;
      } finally {
        release();
      }
    };

  const overrides = new Map<PropertyKey, unknown>();
  for (const name of GATED) {
    const method = pool[name] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (typeof method === 'function') overrides.set(name, gated(method.bind(pool)));
  }
  const bound = new Map<PropertyKey, unknown>();
  const facade = new Proxy(pool, {
    get(target, property) {
      if (overrides.has(property)) return overrides.get(property);
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (!bound.has(property)) bound.set(property, (value as (...args: unknown[]) => unknown).bind(target));
      return bound.get(property);
    },
  });
  usageByPool.set(facade, () => ({ inUse, waiting: waiting.length, size }));
  return facade;
};

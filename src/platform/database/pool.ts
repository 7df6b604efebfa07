import {
  createPool,
  SchemaValidationError,
  type ClientConfigurationInput,
  type DatabasePool,
  type DriverFactory,
  type DriverTypeParser,
  type Interceptor,
} from 'slonik';
import { statementCounter } from './statement-counter.ts';

export type PoolOptions = {
  readonly maxPoolSize?: number;
  readonly statementTimeoutMs?: number;
  /** Tests swap the real `pg` driver for an in-memory engine through this (docs/decisions/0020). */
  readonly driverFactory?: DriverFactory;
};

/**
 * Rows come back as plain JSON-friendly values: bigint columns as numbers (counts, versions; we refuse
 * values past 2^53 rather than lose precision), timestamps as Date.
 */
const typeParsers: readonly DriverTypeParser[] = [
  {
    name: 'int8',
    parse: (value) => {
      const parsed = Number(value);
      if (!Number.isSafeInteger(parsed)) throw new RangeError(`int8 value ${value} exceeds the safe integer range`);
      return parsed;
    },
  },
  { name: 'numeric', parse: (value) => Number(value) },
  { name: 'timestamptz', parse: (value) => new Date(value) },
  { name: 'timestamp', parse: (value) => new Date(`${value}Z`) },
  { name: 'date', parse: (value) => value },
];

/**
 * `sql.type(schema)` declares a row schema; slonik 49 only checks it when an interceptor does, so every row
 * crossing the adapter edge is validated here (and coerced, e.g. zod defaults).
 *
 * Synchronously (`transformRow`): slonik runs a `transformRowAsync` interceptor through a fresh p-queue per query and
 * an async task per row, more work than the validation itself (docs/decisions/0005-benchmark-driven-tweaks.md).
 * Row schemas are plain zod objects, validated synchronously; an asynchronous one (an async refinement) fails loudly
 * instead of being skipped.
 */
const validateRows: Interceptor = {
  name: 'kingdom.validateRows',
  transformRow: (context, query, row) => {
    const schema = context.resultParser;
    if (!schema) return row;
    const result = schema['~standard'].validate(row);
    if (result instanceof Promise)
      throw new TypeError('Row schemas must validate synchronously (no async refinements)');
    if (result.issues) throw new SchemaValidationError(query, row, result.issues);
    return result.value as typeof row;
  },
};

export const poolConfiguration = (options: PoolOptions = {}): Partial<ClientConfigurationInput> => ({
  interceptors: [statementCounter, validateRows],
  typeParsers,
  maximumPoolSize: options.maxPoolSize ?? 10,
  statementTimeout: options.statementTimeoutMs ?? 15_000,
  // The unit of work owns retries (bounded, jittered, reported as CONFLICT); slonik must not retry underneath it.
  transactionRetryLimit: 0,
  // slonik's default sends DISCARD ALL every time a connection goes back to the pool, i.e. after every query: one
  // more statement and round trip per query, holding the connection meanwhile (measured in
  // docs/decisions/0005-benchmark-driven-tweaks.md). Nothing here leaves session state behind: isolation levels are
  // set per transaction (SET TRANSACTION), timeouts are connection parameters, and no code uses SET, LISTEN,
  // temporary tables or session advisory locks on this pool. A failed query or transaction still destroys its
  // connection (slonik), so no broken session is reused.
  resetConnection: async () => undefined,
  ...(options.driverFactory ? { driverFactory: options.driverFactory } : {}),
});

export const createDatabasePool = async (
  connectionString: string,
  options: PoolOptions = {},
): Promise<DatabasePool> => {
  const pool = await createPool(connectionString, poolConfiguration(options));
  // Without a listener, an idle client's error (e.g. Postgres restarted) becomes an unhandled 'error' event.
  pool.on('error', () => undefined);
  return pool;
};

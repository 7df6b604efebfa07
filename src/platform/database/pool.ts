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
  /** Tests swap the real `pg` driver for pg-mem through this. */
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
 */
const validateRows: Interceptor = {
  name: 'kingdom.validateRows',
  transformRowAsync: async (context, query, row) => {
    const schema = context.resultParser;
    if (!schema) return row;
    const result = await schema['~standard'].validate(row);
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
  ...(options.driverFactory ? { driverFactory: options.driverFactory } : {}),
});

export const createDatabasePool = async (connectionString: string, options: PoolOptions = {}): Promise<DatabasePool> => {
  const pool = await createPool(connectionString, poolConfiguration(options));
  // Without a listener, an idle client's error (e.g. Postgres restarted) becomes an unhandled 'error' event.
  pool.on('error', () => undefined);
  return pool;
};

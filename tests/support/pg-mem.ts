import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataType, newDb, type FunctionDefinition, type IMemoryDb } from 'pg-mem';
import type { DatabasePool } from 'slonik';
import { createDatabasePool } from '../../src/platform/database/pool.ts';
import { createPgMemDriverFactory } from './pg-mem-driver.ts';

export type PgMemDatabase = {
  /** A real slonik pool, configured exactly as in production (interceptors, type parsers), over one connection. */
  pool: DatabasePool;
  /** The pg-mem instance, for inspection (`db.public.many(...)`) or `db.backup()`. */
  db: IMemoryDb;
  /** Every SQL text the pool sent, in order, with `$n` placeholders (including START TRANSACTION, COMMIT, ...). */
  statements: string[];
  /**
   * Every `graphile_worker.add_job` call, in order. pg-mem has no graphile-worker, so a stand-in records them; it
   * cannot undo one when its transaction rolls back (that property is proven on real Postgres, in tests/e2e).
   */
  jobs: Array<{ task: string; payload: unknown; maxAttempts: number; jobKey: string }>;
  /**
   * Every `pg_notify(channel, payload)` call, in order. pg-mem cannot LISTEN, so a stand-in records them, including
   * those of transactions that rolled back (real Postgres delivers a notification only on commit: tests/e2e).
   */
  notifications: Array<{ channel: string; payload: string }>;
  end(): Promise<void>;
};

const defaultMigrationsDir = fileURLToPath(new URL('../../migrations/committed', import.meta.url));
const currentMigration = fileURLToPath(new URL('../../migrations/current.sql', import.meta.url));

/** Functions our SQL or slonik's helpers use that pg-mem does not ship, each with the SQL that probes for it. */
const missingFunctions: readonly { probe: string; definition: FunctionDefinition }[] = [
  {
    probe: 'select gen_random_uuid()',
    definition: { name: 'gen_random_uuid', returns: DataType.uuid, impure: true, implementation: () => randomUUID() },
  },
  {
    probe: 'select now()',
    definition: { name: 'now', returns: DataType.timestamptz, impure: true, implementation: () => new Date() },
  },
  {
    // `sql.timestamp(date)` renders as `to_timestamp($1)` with the epoch seconds as a string.
    probe: 'select to_timestamp(0)',
    definition: {
      name: 'to_timestamp',
      args: [DataType.float],
      returns: DataType.timestamptz,
      implementation: (seconds: number) => new Date(seconds * 1000),
    },
  },
  {
    // Migration 000003 keeps creation times at millisecond precision; JS Dates hold nothing finer anyway.
    probe: "select date_trunc('milliseconds', now())",
    definition: {
      name: 'date_trunc',
      args: [DataType.text, DataType.timestamptz],
      returns: DataType.timestamptz,
      implementation: (unit: string, value: Date) => {
        if (unit !== 'milliseconds')
          throw new Error(`pg-mem date_trunc stand-in only knows 'milliseconds', not ${unit}`);
        return new Date(value.getTime());
      },
    },
  },
];

const registerMissingFunctions = (db: IMemoryDb): void => {
  for (const { probe, definition } of missingFunctions) {
    try {
      db.public.one(probe);
    } catch {
      db.public.registerFunction(definition);
    }
  }
};

/** Replays `*.sql` files in name order, as graphile-migrate would (its `--!` headers are plain comments). */
const applyMigrations = async (db: IMemoryDb, directory: string): Promise<void> => {
  const files = (await readdir(directory)).filter((file) => file.endsWith('.sql')).sort();
  for (const file of files) {
    try {
      db.public.none(await readFile(path.join(directory, file), 'utf8'));
    } catch (error) {
      throw new Error(`Migration ${file} failed on pg-mem: ${(error as Error).message}`, { cause: error });
    }
  }
};

/**
 * graphile-migrate's work in progress, replayed after the committed migrations as `npm run db:watch` applies it, so
 * a change is tested before `db:commit` (current.sql is idempotent by graphile-migrate's rules). Skipped while it
 * holds nothing but comments, which pg-mem cannot parse on their own.
 */
const applyCurrentMigration = async (db: IMemoryDb): Promise<void> => {
  const text = await readFile(currentMigration, 'utf8').catch(() => '');
  if (text.replace(/--.*$/gm, '').trim() === '') return;
  try {
    db.public.none(text);
  } catch (error) {
    throw new Error(`migrations/current.sql failed on pg-mem: ${(error as Error).message}`, { cause: error });
  }
};

/**
 * A fresh in-memory database with the committed migrations applied, then migrations/current.sql (only with the
 * default folder), behind a slonik pool built by our own `createDatabasePool`. Call `end()` in `afterEach`/`afterAll`.
 */
export const createPgMemDatabase = async (options: { migrationsDir?: string } = {}): Promise<PgMemDatabase> => {
  const db = newDb();
  registerMissingFunctions(db);
  await applyMigrations(db, options.migrationsDir ?? defaultMigrationsDir);
  if (!options.migrationsDir) await applyCurrentMigration(db);
  const statements: string[] = [];
  const jobs: PgMemDatabase['jobs'] = [];
  db.createSchema('graphile_worker').registerFunction({
    name: 'add_job',
    args: [DataType.text, DataType.json, DataType.text, DataType.timestamptz, DataType.integer, DataType.text],
    returns: DataType.integer,
    impure: true,
    // pg-mem skips a function given any NULL argument (it answers NULL) unless told otherwise; queue and run_at are NULL.
    allowNullArguments: true,
    implementation: (
      task: string,
      payload: unknown,
      _queue: unknown,
      _runAt: unknown,
      maxAttempts: number,
      jobKey: string,
    ) => {
      jobs.push({ task, payload: typeof payload === 'string' ? JSON.parse(payload) : payload, maxAttempts, jobKey });
      return jobs.length;
    },
  });
  const notifications: PgMemDatabase['notifications'] = [];
  db.public.registerFunction({
    name: 'pg_notify',
    args: [DataType.text, DataType.text],
    returns: DataType.text,
    impure: true,
    implementation: (channel: string, payload: string) => {
      notifications.push({ channel, payload });
      return '';
    },
  });
  // One connection: transactions are emulated by snapshotting the whole database, which only works unshared.
  const pool = await createDatabasePool('postgres://pg-mem/test', {
    driverFactory: createPgMemDriverFactory({ db, statements }),
    maxPoolSize: 1,
  });
  return { pool, db, statements, jobs, notifications, end: () => pool.end() };
};

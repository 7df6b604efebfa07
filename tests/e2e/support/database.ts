/**
 * Per-test (or per-file) databases on the e2e Postgres server started by global-setup.ts.
 *
 * Each `createTestDatabase()` is a fresh database with a unique name, migrated with the committed migrations
 * exactly as the server does at start-up, then with migrations/current.sql as `npm run db:watch` applies it (so
 * work in progress is tested before `db:commit`). Call `drop()` when done (afterAll).
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Logger, watch } from 'graphile-migrate';
import { clearAllPools } from 'graphile-migrate/dist/pgReal.js';
import { createPool, sql, type DatabasePool } from 'slonik';
import { migrationSettings, runMigrations } from '../../../src/platform/database/migrate.ts';

export type TestDatabase = {
  readonly name: string;
  readonly url: string;
  /** Terminates the database's connections and drops it. Idempotent. */
  drop(): Promise<void>;
};

const adminUrl = (): string => {
  const url = process.env.KINGDOM_TEST_ADMIN_URL;
  if (!url) {
    throw new Error(
      'KINGDOM_TEST_ADMIN_URL is unset: run e2e tests through jest (--selectProjects e2e), whose globalSetup sets it',
    );
  }
  return url;
};

const withAdminPool = async <T>(run: (pool: DatabasePool) => Promise<T>, admin = adminUrl()): Promise<T> => {
  const pool = await createPool(admin, { maximumPoolSize: 1 });
  pool.on('error', () => undefined);
  try {
    return await run(pool);
  } finally {
    await pool.end();
  }
};

/** The admin URL pointing at another database on the same server. */
export const databaseUrl = (name: string, admin = adminUrl()): string => {
  const url = new URL(admin);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
};

/** `graphile-migrate watch --once`, when current.sql holds more than comments; its messages are dropped. */
export const applyCurrentMigration = async (url: string): Promise<void> => {
  const settings = await migrationSettings();
  const current = await readFile(path.join(settings.migrationsFolder ?? 'migrations', 'current.sql'), 'utf8').catch(
    () => '',
  );
  if (current.replace(/--.*$/gm, '').trim() === '') return;
  try {
    await watch({ ...settings, connectionString: url, logger: new Logger(() => () => undefined) }, true);
  } finally {
    // As in runMigrations: idle graphile-migrate pools exit the process on an error (a later DROP DATABASE).
    clearAllPools();
  }
};

/** `server`: the admin URL of another Postgres server than the run's (a test that owns, and restarts, its own). */
export const createTestDatabase = async (server: string = adminUrl()): Promise<TestDatabase> => {
  const name = `kingdom_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = databaseUrl(name, server);
  const drop = async (): Promise<void> => {
    // WITH (FORCE) terminates the remaining connections first (Postgres 13+).
    await withAdminPool(
      (pool) => pool.query(sql.unsafe`drop database if exists ${sql.identifier([name])} with (force)`),
      server,
    );
  };
  await withAdminPool((pool) => pool.query(sql.unsafe`create database ${sql.identifier([name])}`), server);
  try {
    await runMigrations(url);
    await applyCurrentMigration(url);
  } catch (error) {
    await drop();
    throw error;
  }
  return { name, url, drop };
};

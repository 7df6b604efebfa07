/**
 * A throwaway Postgres for benchmarks: the project's embedded Postgres (src/platform/database/embedded-postgres.ts),
 * on a free loopback port, without durability (fsync, synchronous_commit and full_page_writes off), deleted on stop.
 *
 * With `statementStatistics`, pg_stat_statements is preloaded so SQL statements can be counted on the server side.
 * The embedded-Postgres wrapper takes no extra server flags, and shared_preload_libraries only applies at start-up,
 * so the cluster is created as a "persistent" one in a private temp directory, configured with ALTER SYSTEM,
 * stopped and started again (about two seconds more), and the directory is removed on stop.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/platform/database/embedded-postgres.ts';
import { createDatabasePool } from '../../src/platform/database/pool.ts';
import { freePort } from '../../tests/support/free-port.ts';

export type BenchPostgres = Pick<EmbeddedPostgres, 'port' | 'adminUrl' | 'ensureDatabase' | 'stop'> & {
  readonly statementStatistics: boolean;
};

/** The port may be taken between the probe and Postgres binding it: try again with another one. */
const startOnFreePort = async (options: { dataDir?: string; persistent: boolean }, attempts = 3) => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startEmbeddedPostgres({ ...options, port: await freePort() });
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
};

const NO_DURABILITY = ['fsync', 'synchronous_commit', 'full_page_writes'] as const;

export const startBenchPostgres = async (
  { statementStatistics }: { readonly statementStatistics: boolean } = { statementStatistics: false },
): Promise<BenchPostgres> => {
  if (!statementStatistics) {
    const postgres = await startOnFreePort({ persistent: false });
    return { ...postgres, statementStatistics };
  }
  const parent = await mkdtemp(path.join(tmpdir(), 'kingdom-bench-'));
  // As root, initdb and postgres run as the 'postgres' user, who must be able to reach the cluster directory.
  await chmod(parent, 0o755);
  const dataDir = path.join(parent, 'cluster');
  const removeDirectory = () => rm(parent, { recursive: true, force: true });
  try {
    const first = await startOnFreePort({ dataDir, persistent: true });
    try {
      const pool = await createDatabasePool(first.adminUrl(), { maxPoolSize: 1 });
      try {
        await pool.query(sql.unsafe`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`);
        for (const name of NO_DURABILITY)
          await pool.query(sql.unsafe`ALTER SYSTEM SET ${sql.identifier([name])} = off`);
      } finally {
        await pool.end();
      }
    } finally {
      await first.stop();
    }
    const postgres = await startOnFreePort({ dataDir, persistent: true });
    return {
      port: postgres.port,
      adminUrl: postgres.adminUrl,
      ensureDatabase: postgres.ensureDatabase,
      statementStatistics,
      stop: async () => {
        try {
          await postgres.stop();
        } finally {
          await removeDirectory();
        }
      },
    };
  } catch (error) {
    await removeDirectory();
    throw error;
  }
};

/** A login role for one server under test, so its statements can be told apart from everyone else's. */
export const createLoginRole = async (pool: DatabasePool, role: string, password: string): Promise<void> => {
  // Superuser: the Kingdom server applies (already applied) migrations at start-up, PostGraphile introspects.
  await pool.query(sql.unsafe`
    CREATE ROLE ${sql.identifier([role])} LOGIN SUPERUSER PASSWORD ${sql.literalValue(password)}`);
};

export const roleUrl = (postgres: BenchPostgres, role: string, password: string, database: string): string =>
  `postgres://${encodeURIComponent(role)}:${encodeURIComponent(password)}@127.0.0.1:${postgres.port}/${encodeURIComponent(database)}`;

const SETTINGS = [
  'shared_buffers',
  'work_mem',
  'effective_cache_size',
  'random_page_cost',
  'fsync',
  'synchronous_commit',
  'jit',
  'max_connections',
  'shared_preload_libraries',
];

export const postgresInfo = async (pool: DatabasePool) => {
  const version = await pool.oneFirst(sql.type(z.object({ server_version: z.string() }))`SHOW server_version`);
  const versionString = await pool.oneFirst(sql.type(z.object({ version: z.string() }))`SELECT version()`);
  const rows = await pool.any(sql.type(
    z.object({ name: z.string(), setting: z.string(), unit: z.string().nullable() }),
  )`
    SELECT name, setting, unit FROM pg_settings WHERE name IN (${sql.join(SETTINGS, sql.fragment`, `)})`);
  const settings = Object.fromEntries(
    rows.map((row) => [row.name, row.unit ? `${row.setting} ${row.unit}` : row.setting]),
  );
  return { version, versionString, embedded: true, settings };
};

/** Bytes on disk of the given tables and indexes of the public schema (missing ones are left out). */
export const relationSizes = async (pool: DatabasePool, names: readonly string[]): Promise<Record<string, number>> =>
  Object.fromEntries(
    (
      await pool.any(sql.type(z.object({ name: z.string(), bytes: z.number() }))`
        SELECT c.relname AS name, pg_relation_size(c.oid) AS bytes FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relname IN (${sql.join(names, sql.fragment`, `)})`)
    ).map((row) => [row.name, row.bytes]),
  );

/**
 * The e2e database harness itself: every createTestDatabase() is a separate, fully migrated database, and the
 * start-up migration step is safe to repeat.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPool, sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { repositoryRoot } from '../../src/platform/repository-root.ts';
import { runMigrations, type MigrationLogLevel } from '../../src/platform/database/migrate.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

const tableNames = z.object({ table_name: z.string() });
const migrationRow = z.object({ filename: z.string(), hash: z.string() });

describe('e2e database harness', () => {
  let first: TestDatabase;
  let second: TestDatabase;
  let firstPool: DatabasePool;
  let secondPool: DatabasePool;

  beforeAll(async () => {
    [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    [firstPool, secondPool] = await Promise.all([createPool(first.url), createPool(second.url)]);
    for (const pool of [firstPool, secondPool]) pool.on('error', () => undefined);
  });

  afterAll(async () => {
    await Promise.all([firstPool?.end(), secondPool?.end()]);
    await Promise.all([first?.drop(), second?.drop()]);
  });

  it('gives every caller its own database', async () => {
    expect(first.name).not.toBe(second.name);
    expect(first.url).not.toBe(second.url);
    await firstPool.query(
      sql.unsafe`insert into products (sku, description) values ('SKU-ISOLATED', 'only in the first')`,
    );

    expect(await firstPool.oneFirst(sql.unsafe`select count(*)::int from products`)).toBe(1);
    expect(await secondPool.oneFirst(sql.unsafe`select count(*)::int from products`)).toBe(0);
    expect(await firstPool.oneFirst(sql.unsafe`select current_database()`)).toBe(first.name);
    expect(await secondPool.oneFirst(sql.unsafe`select current_database()`)).toBe(second.name);
  });

  it('applies the committed migrations, the first creating products and batches', async () => {
    const tables = await secondPool.anyFirst(
      sql.type(
        tableNames,
      )`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    expect(tables).toEqual(expect.arrayContaining(['batches', 'products']));

    const migrations = await secondPool.any(
      sql.type(migrationRow)`select filename, hash from graphile_migrate.migrations order by filename`,
    );
    // graphile-migrate records `000001.sql` (the message slug is not part of the identity) with the file's hash.
    const committed = await readFile(path.join(repositoryRoot, 'migrations/committed/000001-inventory.sql'), 'utf8');
    const hash = /^--! Hash: (\S+)$/m.exec(committed)?.[1];
    expect(migrations[0]).toEqual({ filename: '000001.sql', hash });

    // The schema really is the inventory one: a batch needs a known product and a positive quantity.
    await secondPool.query(sql.unsafe`insert into products (sku) values ('SKU-1')`);
    await secondPool.query(
      sql.unsafe`insert into batches (reference, sku, purchased_quantity) values ('batch-1', 'SKU-1', 10)`,
    );
    await expect(
      secondPool.query(
        sql.unsafe`insert into batches (reference, sku, purchased_quantity) values ('batch-2', 'NOPE', 10)`,
      ),
    ).rejects.toThrow();
    await expect(
      secondPool.query(
        sql.unsafe`insert into batches (reference, sku, purchased_quantity) values ('batch-3', 'SKU-1', 0)`,
      ),
    ).rejects.toThrow();
  });

  it('treats a second runMigrations as a no-op', async () => {
    const before = await firstPool.any(sql.type(migrationRow)`select filename, hash from graphile_migrate.migrations`);
    const messages: Array<[MigrationLogLevel, string]> = [];

    await runMigrations(first.url, { log: (level, message) => messages.push([level, message]) });

    expect(messages).toEqual([['info', 'graphile-migrate: Already up to date']]);
    expect(await firstPool.any(sql.type(migrationRow)`select filename, hash from graphile_migrate.migrations`)).toEqual(
      before,
    );
    // Data written after the first run is untouched.
    expect(await firstPool.oneFirst(sql.unsafe`select count(*)::int from products`)).toBe(1);
  });

  it('waits for a migration another process is running, instead of failing at once', async () => {
    // graphile-migrate's advisory lock key ("GRAPHILE MIGRATE" on a phone keypad), held as a concurrent start would.
    await firstPool.connect(async (connection) => {
      await connection.query(sql.unsafe`select pg_advisory_lock(4727445306447283)`);
      let settled = false;
      const migrating = runMigrations(first.url).finally(() => {
        settled = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(settled).toBe(false);
      await connection.query(sql.unsafe`select pg_advisory_unlock(4727445306447283)`);
      await expect(migrating).resolves.toBeUndefined();
    });
  });

  it('drops a test database even while it has open connections', async () => {
    const doomed = await createTestDatabase();
    const pool = await createPool(doomed.url);
    pool.on('error', () => undefined);
    await pool.query(sql.unsafe`select 1`); // keeps an idle connection open

    await doomed.drop();

    const remaining = await firstPool.anyFirst(
      sql.type(z.object({ datname: z.string() }))`select datname from pg_database where datname = ${doomed.name}`,
    );
    expect(remaining).toEqual([]);
    await pool.end();
  });
});

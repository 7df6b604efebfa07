import {
  CheckIntegrityConstraintViolationError,
  ForeignKeyIntegrityConstraintViolationError,
  NotNullIntegrityConstraintViolationError,
  SchemaValidationError,
  sql,
  UniqueIntegrityConstraintViolationError,
} from 'slonik';
import { z } from 'zod';
import { createPgMemDatabase, type PgMemDatabase } from '../support/pg-mem.ts';

let database: PgMemDatabase;

beforeEach(async () => {
  database = await createPgMemDatabase();
});
afterEach(async () => database.end());

const insertProduct = (sku: string, description = '') =>
  database.pool.query(sql.unsafe`insert into products (sku, description) values (${sku}, ${description})`);
const insertProductIn = (connection: Pick<PgMemDatabase['pool'], 'query'>, sku: string) =>
  connection.query(sql.unsafe`insert into products (sku) values (${sku})`);
const countProducts = () =>
  database.pool.oneFirst(sql.type(z.object({ count: z.number() }))`select count(*) from products`);

describe('the pg-mem slonik pool', () => {
  it('parses count(*) as a number, timestamptz as a Date and date as a YYYY-MM-DD string, as our type parsers do', async () => {
    await insertProduct('SKU-1');
    await database.pool.query(
      sql.unsafe`insert into batches (reference, sku, purchased_quantity, eta) values ('b1', 'SKU-1', 10, ${sql.date(new Date('2026-03-04T00:00:00Z'))})`,
    );

    const count = await database.pool.oneFirst(sql.unsafe`select count(*) from products`);
    const row = await database.pool.one(sql.unsafe`
      select p.created_at, b.eta, b.purchased_quantity from products p join batches b on b.sku = p.sku`);

    expect(count).toBe(1);
    expect(row).toEqual({ created_at: expect.any(Date), eta: '2026-03-04', purchased_quantity: 10 });
  });

  it('stores a bound string containing quotes and SQL literally', async () => {
    const hostile = "O'Brien's '; drop table products; --";
    await insertProduct('SKU-1', hostile);

    const stored = await database.pool.oneFirst(sql.unsafe`select description from products where sku = ${'SKU-1'}`);

    expect(stored).toBe(hostile);
    expect(await countProducts()).toBe(1);
  });

  it('binds arrays, json and timestamps built with the sql helpers', async () => {
    await insertProduct('SKU-1', 'red');
    await insertProduct('SKU-2', 'blue');
    const at = new Date('2026-01-02T03:04:05.678Z');

    const matching = await database.pool.anyFirst(
      sql.unsafe`select sku from products where description = any(${sql.array(['red', 'green'], 'text')})`,
    );
    const row = await database.pool.one(
      sql.unsafe`select ${sql.jsonb({ note: "it's" })} ->> 'note' as note, ${sql.timestamp(at)} as at`,
    );

    expect(matching).toEqual(['SKU-1']);
    expect(row).toEqual({ note: "it's", at });
  });

  // pg-mem's index lookup compares the key with the whole array (oguimbal/pg-mem#338): the driver's shim rewrites
  // `= any(array)` into `in (...)`, so source SQL keeps the Postgres form (tests/support/pg-mem-shims.ts).
  it('finds the rows of `indexed_column = any(array)` as Postgres does, like `in (...)`', async () => {
    await insertProduct('SKU-1');
    const skus = ['SKU-1', 'SKU-2'];

    const viaAny = await database.pool.anyFirst(
      sql.unsafe`select sku from products where sku = any(${sql.array(skus, 'text')})`,
    );
    const viaIn = await database.pool.anyFirst(
      sql.unsafe`select sku from products where sku in (${sql.join(
        skus.map((sku) => sql.fragment`${sku}`),
        sql.fragment`, `,
      )})`,
    );

    expect(viaAny).toEqual(['SKU-1']);
    expect(viaIn).toEqual(['SKU-1']);
  });

  it('raises the slonik integrity errors for unique, foreign key, not-null and check violations', async () => {
    await insertProduct('SKU-1');

    await expect(insertProduct('SKU-1')).rejects.toMatchObject({
      constructor: UniqueIntegrityConstraintViolationError,
      constraint: 'products_pkey',
      columns: ['sku'],
    });
    await expect(
      database.pool.query(
        sql.unsafe`insert into batches (reference, sku, purchased_quantity) values ('b1', 'NOPE', 1)`,
      ),
    ).rejects.toBeInstanceOf(ForeignKeyIntegrityConstraintViolationError);
    await expect(
      database.pool.query(sql.unsafe`insert into products (sku, description) values ('SKU-2', ${null})`),
    ).rejects.toMatchObject({ constructor: NotNullIntegrityConstraintViolationError, column: 'description' });
    await expect(
      database.pool.query(
        sql.unsafe`insert into batches (reference, sku, purchased_quantity) values ('b1', 'SKU-1', 0)`,
      ),
    ).rejects.toBeInstanceOf(CheckIntegrityConstraintViolationError);
  });

  it('leaves no rows behind when a transaction handler throws', async () => {
    const failing = database.pool.transaction(async (transaction) => {
      await transaction.query(sql.unsafe`insert into products (sku) values ('SKU-1')`);
      throw new Error('boom');
    });

    await expect(failing).rejects.toThrow('boom');
    expect(await countProducts()).toBe(0);
  });

  it('keeps the rows of a committed transaction', async () => {
    await database.pool.transaction(async (transaction) => {
      await transaction.query(sql.unsafe`insert into products (sku) values ('SKU-1')`);
      await transaction.query(sql.unsafe`insert into products (sku) values ('SKU-2')`);
    });

    expect(await countProducts()).toBe(2);
  });

  it('accepts SET TRANSACTION ISOLATION LEVEL SERIALIZABLE as the first statement of a transaction', async () => {
    await database.pool.transaction(async (transaction) => {
      await transaction.query(sql.unsafe`SET TRANSACTION ISOLATION LEVEL SERIALIZABLE`);
      await transaction.query(sql.unsafe`SET LOCAL statement_timeout = 5000`);
      await insertProductIn(transaction, 'SKU-1');
    });

    expect(await countProducts()).toBe(1);
  });

  it('rejects SET TRANSACTION ISOLATION LEVEL after a query, as Postgres does', async () => {
    const late = database.pool.transaction(async (transaction) => {
      await insertProductIn(transaction, 'SKU-1');
      await transaction.query(sql.unsafe`SET TRANSACTION ISOLATION LEVEL SERIALIZABLE`);
    });

    await expect(late).rejects.toMatchObject({ code: '25001' });
    expect(await countProducts()).toBe(0);
  });

  it('refuses further statements in a transaction after one failed, until it is rolled back', async () => {
    const swallowing = database.pool.transaction(async (transaction) => {
      await insertProductIn(transaction, 'SKU-1');
      await insertProductIn(transaction, 'SKU-1').catch(() => undefined);
      await insertProductIn(transaction, 'SKU-2');
    });

    await expect(swallowing).rejects.toMatchObject({ code: '25P02' });
    expect(await countProducts()).toBe(0);
  });

  it('rolls a nested transaction back to its savepoint and keeps the outer writes', async () => {
    await database.pool.transaction(async (transaction) => {
      await insertProductIn(transaction, 'SKU-1');
      const nested = transaction.transaction(async (inner) => {
        await insertProductIn(inner, 'SKU-2');
        throw new Error('inner boom');
      });
      await expect(nested).rejects.toThrow('inner boom');
    });

    expect(await database.pool.anyFirst(sql.unsafe`select sku from products`)).toEqual(['SKU-1']);
  });

  it('raises SchemaValidationError when a row does not match the sql.type schema', async () => {
    await insertProduct('SKU-1');

    const query = database.pool.one(
      sql.type(z.object({ sku: z.string(), version: z.string() }))`select sku, version from products`,
    );

    await expect(query).rejects.toBeInstanceOf(SchemaValidationError);
  });

  it('streams rows through the same type parsers', async () => {
    await insertProduct('SKU-1');
    const createdAt: unknown[] = [];

    await database.pool.stream(
      sql.type(z.object({ created_at: z.date() }))`select created_at from products`,
      (stream) => {
        stream.on('data', ({ data }) => createdAt.push(data.created_at));
      },
    );

    expect(createdAt).toEqual([expect.any(Date)]);
  });

  it('records every SQL text the pool sends, in order', async () => {
    database.statements.length = 0;

    await database.pool.transaction(async (transaction) => insertProductIn(transaction, 'SKU-1'));

    // No DISCARD ALL after the release: the pool does not reset connections (src/platform/database/pool.ts).
    expect(database.statements).toEqual(['START TRANSACTION', 'insert into products (sku) values ($1)', 'COMMIT']);
  });
});

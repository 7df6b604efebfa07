import { sql } from 'slonik';
import { readEverything } from '../../../src/core/access.ts';
import { createInventoryViews } from '../../../src/inventory/adapters/slonik-inventory-views.ts';
import type { InventoryViews } from '../../../src/inventory/services/views.ts';
import { createPgMemDatabase, type PgMemDatabase } from '../../support/pg-mem.ts';

// What each view returns for a caller who may read everything; scoping is tested in scoped-views.test.ts.

let database: PgMemDatabase;
let views: InventoryViews;

beforeEach(async () => {
  database = await createPgMemDatabase();
  views = createInventoryViews(database.pool, readEverything);
});
afterEach(async () => database.end());

const insertProduct = (sku: string, description: string, version: number) =>
  database.pool.query(
    sql.unsafe`INSERT INTO products (sku, description, version) VALUES (${sku}, ${description}, ${version})`,
  );
const insertBatch = (reference: string, sku: string, quantity: number, eta: string | null) =>
  database.pool.query(sql.unsafe`
    INSERT INTO batches (reference, sku, purchased_quantity, eta) VALUES (${reference}, ${sku}, ${quantity}, ${eta}::date)`);

describe('the inventory views', () => {
  it('answers null for a SKU nobody stocks', async () => {
    await insertProduct('LAMP', 'a lamp', 1);

    expect(await views.productBySku('DESK')).toBeNull();
  });

  it('reads a product as its view shape, the version a number and createdAt a Date', async () => {
    await insertProduct('LAMP', 'a lamp', 3);

    expect(await views.productBySku('LAMP')).toEqual({
      sku: 'LAMP',
      description: 'a lamp',
      version: 3,
      createdAt: expect.any(Date),
    });
  });

  it('answers null for a batch reference nobody used', async () => {
    await insertProduct('LAMP', 'a lamp', 1);
    await insertBatch('lamp-1', 'LAMP', 10, null);

    expect(await views.batchByReference('lamp-2')).toBeNull();
  });

  it('reads a batch as its view shape, the ETA a YYYY-MM-DD string or null', async () => {
    await insertProduct('LAMP', 'a lamp', 1);
    await insertBatch('lamp-1', 'LAMP', 10, '2027-01-15');
    await insertBatch('lamp-2', 'LAMP', 4, null);

    expect(await views.batchByReference('lamp-1')).toEqual({
      reference: 'lamp-1',
      sku: 'LAMP',
      purchasedQuantity: 10,
      eta: '2027-01-15',
      createdAt: expect.any(Date),
      allocatedQuantity: 0,
    });
    expect(await views.batchByReference('lamp-2')).toMatchObject({ purchasedQuantity: 4, eta: null });
  });

  it("lists a product's batches in stock first, then by ETA, leaving other products' batches out", async () => {
    await insertProduct('LAMP', 'a lamp', 1);
    await insertProduct('DESK', 'a desk', 1);
    // Inserted, and named, in an order that is neither the expected one nor its reverse.
    await insertBatch('a-late', 'LAMP', 1, '2027-03-01');
    await insertBatch('b-in-stock', 'LAMP', 2, null);
    await insertBatch('c-early', 'LAMP', 3, '2027-01-10');
    await insertBatch('d-desk', 'DESK', 4, null);

    const batches = (await views.batchesOfProduct({ sku: 'LAMP' }, {})).edges.map((edge) => edge.node);

    expect(batches.map(({ reference, eta }) => ({ reference, eta }))).toEqual([
      { reference: 'b-in-stock', eta: null },
      { reference: 'c-early', eta: '2027-01-10' },
      { reference: 'a-late', eta: '2027-03-01' },
    ]);
  });

  it('lists no batches for a SKU nobody stocks', async () => {
    await insertProduct('LAMP', 'a lamp', 1);
    await insertBatch('lamp-1', 'LAMP', 10, null);

    expect((await views.batchesOfProduct({ sku: 'DESK' }, {})).edges).toEqual([]);
  });
});

/**
 * Every inventory read answers only what the caller's read scope selects, filtered in SQL: a scope may select
 * every row, listed keys, the caller's own rows, both, or nothing. PRODUCT scopes products and allocations, BATCH
 * scopes batches; availability and the owner lookups are deliberately not scoped.
 */
import { EVERYTHING, type Scope } from '../../../src/core/access.ts';
import { countStatements } from '../../../src/platform/database/statement-counter.ts';
import { createInventoryViews } from '../../../src/inventory/adapters/slonik-inventory-views.ts';
import { createPgMemDatabase, type PgMemDatabase } from '../../support/pg-mem.ts';
import { keys, NOTHING, ownedBy, scopes, seedWarehouse, type Warehouse } from './scoped-warehouse.ts';

let database: PgMemDatabase;
let warehouse: Warehouse;

beforeEach(async () => {
  database = await createPgMemDatabase();
  warehouse = await seedWarehouse(database);
});
afterEach(async () => database.end());

/** Cases name their scope through the warehouse's users, who exist only once it is seeded. */
type Case = readonly [name: string, scope: (warehouse: Warehouse) => Scope, visible: readonly string[]];

const PRODUCT_CASES: readonly Case[] = [
  ['every product', () => EVERYTHING, ['DESK', 'LAMP', 'SOFA']],
  ['a listed SKU', () => keys('DESK'), ['DESK']],
  ["the caller's own products", ({ alice }) => ownedBy(alice), ['LAMP']],
  ['their own plus a listed SKU', ({ alice }) => ownedBy(alice, 'SOFA'), ['LAMP', 'SOFA']],
  ['only SKUs nobody stocks', () => keys('NOPE'), []],
  ['nothing', () => NOTHING, []],
];

const BATCH_CASES: readonly Case[] = [
  ['every batch', () => EVERYTHING, ['desk-1', 'lamp-1', 'lamp-2', 'sofa-1']],
  ['a listed reference', () => keys('desk-1'), ['desk-1']],
  ["the batches of the caller's own products", ({ alice }) => ownedBy(alice), ['lamp-1', 'lamp-2']],
  ['their own plus a listed reference', ({ bob }) => ownedBy(bob, 'sofa-1'), ['desk-1', 'sofa-1']],
  ['nothing', () => NOTHING, []],
];

describe('inventory views under a PRODUCT read scope', () => {
  it.each(PRODUCT_CASES)('productBySku finds %s and answers null for the rest', async (_name, scope, visible) => {
    const views = createInventoryViews(database.pool, scopes({ PRODUCT: scope(warehouse) }));

    const found = await Promise.all(['DESK', 'LAMP', 'SOFA'].map((sku) => views.productBySku(sku)));

    expect(found.filter((product) => product !== null).map((product) => product.sku)).toEqual(visible);
  });

  it.each(PRODUCT_CASES)('products lists and counts %s', async (_name, scope, visible) => {
    const views = createInventoryViews(database.pool, scopes({ PRODUCT: scope(warehouse) }));

    const page = await views.products({ first: 10 }, { field: 'SKU', direction: 'ASC' });

    expect(page.edges.map((edge) => edge.node.sku)).toEqual(visible);
    expect(await page.totalCount()).toBe(visible.length);
  });

  it.each(PRODUCT_CASES)("allocationsOfOrder shows the order's lines on %s", async (_name, scope, visible) => {
    const views = createInventoryViews(database.pool, scopes({ PRODUCT: scope(warehouse) }));

    expect((await views.allocationsOfOrder('o-1')).map((line) => line.sku)).toEqual(visible);
  });
});

describe('inventory views under a BATCH read scope', () => {
  it.each(BATCH_CASES)('batchByReference finds %s and answers null for the rest', async (_name, scope, visible) => {
    const views = createInventoryViews(database.pool, scopes({ BATCH: scope(warehouse) }));

    const found = await Promise.all(['desk-1', 'lamp-1', 'lamp-2', 'sofa-1'].map((ref) => views.batchByReference(ref)));

    expect(found.filter((batch) => batch !== null).map((batch) => batch.reference)).toEqual(visible);
  });

  it.each(BATCH_CASES)('batchesOfProduct lists and counts, product by product, %s', async (_name, scope, visible) => {
    const views = createInventoryViews(database.pool, scopes({ BATCH: scope(warehouse) }));

    // Asked together, as the fields of one page are: the loader sends one query for the three.
    const pages = await Promise.all(['DESK', 'LAMP', 'SOFA'].map((sku) => views.batchesOfProduct({ sku }, {})));

    expect(pages.flatMap((page) => page.edges.map((edge) => edge.node.reference))).toEqual(visible);
    expect(await Promise.all(pages.map((page) => page.totalCount()))).toEqual(
      ['desk', 'lamp', 'sofa'].map((prefix) => visible.filter((reference) => reference.startsWith(prefix)).length),
    );
  });
});

describe('what is not scoped', () => {
  const availability = (scope: Scope) => {
    const views = createInventoryViews(database.pool, scopes({ PRODUCT: EVERYTHING, BATCH: scope }));
    return Promise.all(['LAMP', 'DESK', 'SOFA'].map((sku) => views.availableQuantityOfProduct({ sku })));
  };

  it("a product's available quantity counts every batch, readable or not", async () => {
    // LAMP 10 + 5 - 3, DESK 4 - 1, SOFA 2 - 2.
    expect(await availability(EVERYTHING)).toEqual([12, 3, 0]);
    expect(await availability(NOTHING)).toEqual([12, 3, 0]);
    expect(await availability(keys('desk-1'))).toEqual([12, 3, 0]);
  });

  it.each([
    ['who may read every batch shares the batch query', EVERYTHING, 1],
    ['who may read only some batches needs one more, still one for all the products', keys('lamp-1'), 2],
  ])('batches and availability of three products: a caller %s', async (_name, scope, statements) => {
    const views = createInventoryViews(database.pool, scopes({ PRODUCT: EVERYTHING, BATCH: scope }));

    const counted = await countStatements(() =>
      Promise.all(
        ['LAMP', 'DESK', 'SOFA'].flatMap((sku) => [
          views.batchesOfProduct({ sku }, {}),
          views.availableQuantityOfProduct({ sku }),
        ]),
      ),
    );

    expect(counted.statements).toBe(statements);
  });

  it('productOwner answers the owner, null for an ownerless product and nothing for an unknown SKU, whatever the scope', async () => {
    const views = createInventoryViews(database.pool, scopes({}));

    expect(await views.productOwner('LAMP')).toEqual({ ownerId: warehouse.alice });
    expect(await views.productOwner('SOFA')).toEqual({ ownerId: null });
    expect(await views.productOwner('NOPE')).toBeNull();
  });

  it("batchOwner answers the owner of the batch's product, whatever the scope", async () => {
    const views = createInventoryViews(database.pool, scopes({}));

    expect(await views.batchOwner('lamp-2')).toEqual({ ownerId: warehouse.alice });
    expect(await views.batchOwner('desk-1')).toEqual({ ownerId: warehouse.bob });
    expect(await views.batchOwner('sofa-1')).toEqual({ ownerId: null });
    expect(await views.batchOwner('nope')).toBeNull();
  });

  it('asks for a scope only when a scoped view is read, and only for the resource it reads', async () => {
    const readScope = scopes({});
    const views = createInventoryViews(database.pool, readScope);
    await views.productOwner('LAMP');
    await views.batchOwner('lamp-1');
    expect(readScope.asked).toEqual([]);

    await views.productBySku('LAMP');
    expect(readScope.asked).toEqual(['PRODUCT']);
  });
});

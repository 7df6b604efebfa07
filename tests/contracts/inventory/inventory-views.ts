import { EVERYTHING, type Scope } from '../../../src/core/access.ts';
import { addBatch, newProduct, type Product } from '../../../src/inventory/domain/product.ts';
import type { BatchView, InventoryViews, ProductView } from '../../../src/inventory/services/views.ts';
import { keysScope, NOTHING } from '../../support/scopes.ts';

/**
 * What the inventory views answer, whatever stores the products: the fake views over the fake unit of work in
 * tests/unit and the slonik views on pg-mem in tests/integration run this same suite over the same products.
 * (The allocations read model is kept by event handlers, which only the slonik side has: tested in integration.)
 */
export type InventoryViewsSubject = {
  /** The views as a caller whose read scope is `scope` for every resource. */
  views(scope: Scope): InventoryViews;
  end(): Promise<void>;
};

export const OWNER = '5d9f0a52-8a0e-4d3b-9d5c-1f2e3a4b5c6d';
/** Every product and batch was created at this instant. */
export const CREATED_AT = new Date('2026-11-01T10:00:00.000Z');

const product = (sku: string, ownerId: string | null, batches: ReadonlyArray<[string, number, string | null]>) =>
  batches.reduce<Product>(
    (built, [reference, quantity, eta]) => addBatch(built, { reference, quantity, eta }),
    newProduct(sku, `The ${sku.toLowerCase()}`, ownerId),
  );

/** `makeSubject` stores these (as new products, saved once) and nothing else. */
export const SEEDED_PRODUCTS: readonly Product[] = [
  product('LAMP', OWNER, [
    ['lamp-late', 5, '2026-12-20'],
    ['lamp-now', 10, null],
    ['lamp-soon', 7, '2026-12-01'],
  ]),
  product('DESK', null, [['desk-1', 2, null]]),
  product('SOFA', null, []),
];

const productView = (sku: string, description: string): ProductView => ({
  sku,
  description,
  version: 1,
  createdAt: CREATED_AT,
});
const batchView = (reference: string, sku: string, purchasedQuantity: number, eta: string | null): BatchView => ({
  reference,
  sku,
  purchasedQuantity,
  eta,
  createdAt: CREATED_AT,
  allocatedQuantity: 0,
});

export const describeInventoryViewsContract = (makeSubject: () => Promise<InventoryViewsSubject>): void => {
  let subject: InventoryViewsSubject;
  beforeEach(async () => {
    subject = await makeSubject();
  });
  afterEach(async () => subject.end());

  it('reads a product and a batch as their views; unknown keys are nobody', async () => {
    const views = subject.views(EVERYTHING);

    expect(await views.productBySku('LAMP')).toEqual(productView('LAMP', 'The lamp'));
    expect(await views.batchByReference('lamp-soon')).toEqual(batchView('lamp-soon', 'LAMP', 7, '2026-12-01'));
    expect([await views.productBySku('BED'), await views.batchByReference('bed-1')]).toEqual([null, null]);
  });

  it('answers many keys at once, one answer per key in order, null where unknown or out of scope', async () => {
    const views = subject.views(keysScope(['DESK', 'SOFA', 'lamp-now']));

    expect((await views.productsBySku(['SOFA', 'LAMP', 'BED', 'DESK'])).map((view) => view?.sku ?? null)).toEqual([
      'SOFA',
      null,
      null,
      'DESK',
    ]);
    expect(
      (await views.batchesByReference(['lamp-late', 'lamp-now', 'desk-1'])).map((view) => view?.reference ?? null),
    ).toEqual([null, 'lamp-now', null]);
  });

  it("shows an owner their products and those products' batches, and nothing to an empty scope", async () => {
    const owner = subject.views(keysScope([], OWNER));
    const nothing = subject.views(NOTHING);

    expect([await owner.productBySku('LAMP'), await owner.productBySku('DESK')]).toEqual([
      productView('LAMP', 'The lamp'),
      null,
    ]);
    expect((await owner.batchByReference('lamp-late'))?.reference).toBe('lamp-late');
    expect(await owner.batchByReference('desk-1')).toBeNull();
    expect([await nothing.productBySku('SOFA'), await nothing.batchByReference('desk-1')]).toEqual([null, null]);
    expect(await (await nothing.products({ first: 5 }, { field: 'SKU', direction: 'ASC' })).totalCount()).toBe(0);
  });

  it('pages products by SKU either way, with cursors and a total of the readable ones', async () => {
    const views = subject.views(EVERYTHING);
    const ascending = { field: 'SKU', direction: 'ASC' } as const;
    const first = await views.products({ first: 2 }, ascending);
    const rest = await views.products({ first: 2, after: first.pageInfo.endCursor }, ascending);
    const descending = await views.products({ first: 5 }, { field: 'SKU', direction: 'DESC' });

    expect(first.edges.map((edge) => edge.node.sku)).toEqual(['DESK', 'LAMP']);
    expect([first.pageInfo.hasNextPage, rest.pageInfo.hasNextPage]).toEqual([true, false]);
    expect(rest.edges.map((edge) => edge.node)).toEqual([productView('SOFA', 'The sofa')]);
    expect(descending.edges.map((edge) => edge.node.sku)).toEqual(['SOFA', 'LAMP', 'DESK']);
    expect(await first.totalCount()).toBe(3);
    const scoped = await subject.views(keysScope(['SOFA'], OWNER)).products({ last: 5 }, ascending);
    expect(scoped.edges.map((edge) => edge.node.sku)).toEqual(['LAMP', 'SOFA']);
  });

  it("pages a product's batches in stock first, then by ETA, as allocation prefers them", async () => {
    const views = subject.views(EVERYTHING);
    const first = await views.batchesOfProduct({ sku: 'LAMP' }, { first: 2 });
    const rest = await views.batchesOfProduct({ sku: 'LAMP' }, { first: 2, after: first.pageInfo.endCursor });

    expect(first.edges.map((edge) => edge.node.reference)).toEqual(['lamp-now', 'lamp-soon']);
    expect(rest.edges.map((edge) => edge.node)).toEqual([batchView('lamp-late', 'LAMP', 5, '2026-12-20')]);
    expect(await first.totalCount()).toBe(3);
    expect((await views.batchesOfProduct({ sku: 'SOFA' }, { first: 2 })).edges).toEqual([]);
  });

  it('counts available units over every batch of the product, readable or not; an unknown product has none', async () => {
    const views = subject.views(keysScope(['lamp-now']));

    expect(await views.availableQuantityOfProduct({ sku: 'LAMP' })).toBe(22);
    expect(await views.availableQuantityOfProduct({ sku: 'BED' })).toBe(0);
  });

  it("tells a product's and a batch's owner whatever the scope", async () => {
    const views = subject.views(NOTHING);

    expect(await views.productOwner('LAMP')).toEqual({ ownerId: OWNER });
    expect(await views.productOwner('DESK')).toEqual({ ownerId: null });
    expect(await views.batchOwner('lamp-soon')).toEqual({ ownerId: OWNER });
    expect([await views.productOwner('BED'), await views.batchOwner('bed-1')]).toEqual([null, null]);
  });
};

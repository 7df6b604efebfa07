/**
 * The products connection under a read scope is a Relay connection over the readable products alone: paging
 * through it in any direction and page size yields exactly them, and totalCount and the page flags count only
 * them, however the unreadable ones interleave.
 */
import { EVERYTHING, type Scope } from '../../../src/core/access.ts';
import { createInventoryViews } from '../../../src/inventory/adapters/slonik-inventory-views.ts';
import type { ProductOrder } from '../../../src/inventory/services/views.ts';
import { createPgMemDatabase, type PgMemDatabase } from '../../support/pg-mem.ts';
import { expectEmptyConnection, expectRelayConformance, type Pager } from '../../support/relay-conformance.ts';
import { insertProduct, insertUser, keys, NOTHING, ownedBy, scopes } from './scoped-warehouse.ts';

let database: PgMemDatabase;
let alice: string;

const sku = (index: number) => `P${String(index).padStart(2, '0')}`;
const ALL = Array.from({ length: 25 }, (_, index) => sku(index));
/** Alice owns every third product; the listed keys are someone else's and nobody's. */
const ALICES = ALL.filter((_, index) => index % 3 === 0);
const LISTED = ['P01', 'P05', 'P11'];

beforeEach(async () => {
  database = await createPgMemDatabase();
  alice = await insertUser(database, 'alice');
  const bob = await insertUser(database, 'bob');
  // Inserted out of order, so no scope can pass by returning insertion order.
  for (const index of ALL.map((_, i) => (i * 7) % 25)) {
    await insertProduct(database, sku(index), [alice, bob, null][index % 3] ?? null);
  }
});
afterEach(async () => database.end());

const pager =
  (scope: Scope, order: ProductOrder): Pager =>
  async (args) => {
    // A fresh set of views per page, as each page is its own request.
    const page = await createInventoryViews(database.pool, scopes({ PRODUCT: scope })).products(args, order);
    return {
      edges: page.edges.map(({ cursor, node }) => ({ cursor, node: { sku: node.sku } })),
      pageInfo: page.pageInfo,
      totalCount: await page.totalCount(),
    };
  };

const ORDERS: readonly ProductOrder[] = [
  { field: 'SKU', direction: 'ASC' },
  { field: 'SKU', direction: 'DESC' },
];
const inOrder = (skus: readonly string[], { direction }: ProductOrder) => {
  const ascending = [...skus].sort();
  return direction === 'ASC' ? ascending : ascending.reverse();
};

describe.each(ORDERS)('products by $field $direction under a read scope', (order) => {
  it("pages through exactly the caller's own plus the listed products, counting only those", async () => {
    await expectRelayConformance(
      pager(ownedBy(alice, ...LISTED), order),
      inOrder([...ALICES, ...LISTED], order),
      [1, 3, 12],
    );
  });

  it('pages through the whole table for a caller who may read every product', async () => {
    await expectRelayConformance(pager(EVERYTHING, order), inOrder(ALL, order), [7, 25]);
  });

  it('is an empty connection for a caller who may read none, or only products that do not exist', async () => {
    await expectEmptyConnection(pager(NOTHING, order));
    await expectEmptyConnection(pager(keys('NOPE'), order));
  });
});

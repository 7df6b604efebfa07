import DataLoader from 'dataloader';
import { sql, type CommonQueryMethods, type FragmentSqlToken } from 'slonik';
import type { ReadScope } from '../../core/access.ts';
import { connectionFromSortedArray, pageRequest } from '../../core/pagination.ts';
import { plannedAnswer } from '../../platform/database/planned.ts';
import { unitsAvailable } from '../domain/product.ts';
import type { BatchPage, BatchView, InventoryViews } from '../services/views.ts';
import { batchKey } from './batch-order.ts';
import { planProductPage } from './planned-product-page.ts';
import {
  allocationViewRow,
  batchColumns,
  batchWithAllocationsRow,
  ownerRow,
  productColumns,
  productRow,
} from './rows.ts';
import { allOf } from '../../platform/database/scope-sql.ts';
import { batchesInScope, productsInScope, skusInScope } from './scope-sql.ts';
import { productPage } from './slonik-product-page.ts';

/** Batches with the units their lines hold (kept on the batch by the product repository). */
const batchesWithAllocations = (where: FragmentSqlToken) => sql.type(batchWithAllocationsRow)`
  SELECT ${batchColumns}, allocated_quantity AS "allocatedQuantity"
  FROM batches
  WHERE ${where}
  ORDER BY eta NULLS FIRST, created_at, reference`;

/**
 * One query for the batches of every SKU asked for in the same tick (no N+1), limited by `inScope`. It does not
 * cache: a mutation followed by a read in the same request must see the write.
 */
const batchLoader = (db: CommonQueryMethods, inScope: () => Promise<FragmentSqlToken | null>) =>
  new DataLoader<string, BatchView[]>(
    async (skus) => {
      const skuIn = sql.fragment`batches.sku IN (${sql.join(skus, sql.fragment`, `)})`;
      const rows = await db.any(batchesWithAllocations(allOf(skuIn, await inScope())));
      const bySku = Map.groupBy(rows, (row) => row.sku);
      return skus.map((sku) => bySku.get(sku) ?? []);
    },
    { cache: false },
  );

/**
 * Views over one request, scoped to what its caller may read: each request gets its own instance (see bootstrap),
 * so batching never mixes requests, and `readScope` (memoised per request by the caller) is asked lazily, so a
 * request that reads no inventory never loads a scope.
 */
export const createInventoryViews = (db: CommonQueryMethods, readScope: ReadScope): InventoryViews => {
  const productScope = async () => productsInScope(await readScope('PRODUCT'));
  const batchScope = async () => batchesInScope(await readScope('BATCH'));
  const batchesBySku = batchLoader(db, batchScope);
  // Availability is a figure about the product, not a list of batches: it counts the batches the caller may not
  // read too, so it needs a loader of its own (still one query for every product on a page).
  const allBatchesBySku = batchLoader(db, async () => null);

  return {
    productBySku: async (sku) =>
      db.maybeOne(sql.type(productRow)`
        SELECT ${productColumns} FROM products WHERE ${allOf(sql.fragment`sku = ${sku}`, await productScope())}`),

    batchByReference: async (reference) =>
      db.maybeOne(batchesWithAllocations(allOf(sql.fragment`batches.reference = ${reference}`, await batchScope()))),

    productsBySku: async (skus) => {
      if (skus.length === 0) return [];
      const rows = await db.any(sql.type(productRow)`
        SELECT ${productColumns} FROM products
        WHERE ${allOf(sql.fragment`sku IN (${sql.join(skus, sql.fragment`, `)})`, await productScope())}`);
      const bySku = new Map(rows.map((row) => [row.sku, row]));
      return skus.map((sku) => bySku.get(sku) ?? null);
    },

    batchesByReference: async (references) => {
      if (references.length === 0) return [];
      const referenceIn = sql.fragment`batches.reference IN (${sql.join(references, sql.fragment`, `)})`;
      const rows = await db.any(batchesWithAllocations(allOf(referenceIn, await batchScope())));
      const byReference = new Map(rows.map((row) => [row.reference, row]));
      return references.map((reference) => byReference.get(reference) ?? null);
    },

    products: (args, order, selection) =>
      productPage(db, args, order, productScope, async () =>
        planProductPage(selection, await batchScope(), async (sku) => (await batchesBySku.load(sku)).length),
      ),

    batchesOfProduct: async (product, args) => {
      const planned = plannedAnswer<BatchPage>(product, 'batches', args);
      if (planned) return planned;
      const request = pageRequest(`batches:${product.sku}`, args, 3);
      const all = await batchesBySku.load(product.sku);
      return { ...connectionFromSortedArray(all, request, batchKey), totalCount: async () => all.length };
    },

    availableQuantityOfProduct: async (product) => {
      const planned = plannedAnswer<number>(product, 'availableQuantity', {});
      if (planned !== undefined) return planned;
      const { sku } = product;
      // A caller who may read every batch sees the same rows through both loaders: share the batches' query.
      const loader = (await readScope('BATCH')).every ? batchesBySku : allBatchesBySku;
      return (await loader.load(sku)).reduce((sum, batch) => sum + unitsAvailable(batch), 0);
    },

    allocationsOfOrder: async (orderId) => [
      ...(await db.any(sql.type(allocationViewRow)`
        SELECT order_id AS "orderId", sku, batch_reference AS "batchReference"
        FROM allocations_view
        WHERE ${allOf(
          sql.fragment`order_id = ${orderId}`,
          skusInScope(await readScope('PRODUCT'), sql.identifier(['allocations_view', 'sku'])),
        )}
        ORDER BY sku`)),
    ],

    allocationOfLine: async (orderId, sku) =>
      db.maybeOne(sql.type(allocationViewRow)`
        SELECT order_id AS "orderId", sku, batch_reference AS "batchReference"
        FROM allocations
        WHERE ${allOf(
          sql.fragment`order_id = ${orderId} AND sku = ${sku}`,
          skusInScope(await readScope('PRODUCT'), sql.identifier(['allocations', 'sku'])),
        )}`),

    productOwner: (sku) =>
      db.maybeOne(sql.type(ownerRow)`SELECT owner_id AS "ownerId" FROM products WHERE sku = ${sku}`),

    batchOwner: (reference) =>
      db.maybeOne(sql.type(ownerRow)`
        SELECT products.owner_id AS "ownerId"
        FROM batches JOIN products ON products.sku = batches.sku
        WHERE batches.reference = ${reference}`),
  };
};

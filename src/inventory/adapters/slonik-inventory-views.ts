import DataLoader from 'dataloader';
import { sql, type CommonQueryMethods, type FragmentSqlToken } from 'slonik';
import { z } from 'zod';
import { DomainError } from '../../core/errors.ts';
import { connectionFromRows, connectionFromSortedArray, pageRequest, type CursorKey } from '../../core/pagination.ts';
import { keysetPage } from '../../platform/database/keyset.ts';
import type { BatchView, InventoryViews, ProductOrder, ProductView } from '../services/views.ts';
import { allocationViewRow, batchColumns, batchWithAllocationsRow, productColumns, productRow } from './rows.ts';

const PAGE_SIZES = { defaultSize: 20, maxSize: 100 };

const sortColumn = { SKU: sql.identifier(['sku']), CREATED_AT: sql.identifier(['created_at']) } as const;
const productKey = (order: ProductOrder) => (product: ProductView) =>
  [order.field === 'SKU' ? product.sku : product.createdAt.toISOString(), product.sku];

/** In-stock (no ETA) first, then by ETA, then oldest first: the order allocation prefers. */
const batchKey = (batch: BatchView) => [batch.eta ?? '', batch.createdAt.toISOString(), batch.reference];

const count = z.object({ count: z.number() });

/**
 * Cursors are opaque but not signed: a forged one must fail as bad input, not reach Postgres as a timestamp it
 * cannot parse (which would be a 500).
 */
const ISO_MILLISECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const isTimestampKey = (value: unknown): boolean =>
  typeof value === 'string' && ISO_MILLISECONDS.test(value) && new Date(value).toISOString() === value;

const assertTimestampKeys = (keys: { after: CursorKey | null; before: CursorKey | null }): void => {
  for (const field of ['after', 'before'] as const) {
    const key = keys[field];
    if (key && !isTimestampKey(key[0])) {
      throw new DomainError('InvalidInput', 'InvalidCursor', `The ${field} cursor does not fit this list`, { field });
    }
  }
};

/** Batches with the units allocated from each, in the order allocation prefers them. */
const batchesWithAllocations = (where: FragmentSqlToken) => sql.type(batchWithAllocationsRow)`
  SELECT ${batchColumns}, COALESCE(allocated.quantity, 0) AS "allocatedQuantity"
  FROM batches
  LEFT JOIN (SELECT batch_reference, sum(quantity) AS quantity FROM allocations GROUP BY batch_reference) allocated
    ON allocated.batch_reference = batches.reference
  WHERE ${where}
  ORDER BY eta NULLS FIRST, created_at, reference`;

/**
 * Views over one request: each request gets its own instance (see bootstrap), so the batch loader's batching never
 * mixes requests. The loader does not cache: a mutation followed by a read in the same request must see the write.
 */
export const createInventoryViews = (db: CommonQueryMethods): InventoryViews => {
  const batchesBySku = new DataLoader<string, BatchView[]>(
    async (skus) => {
      const rows = await db.any(batchesWithAllocations(sql.fragment`sku IN (${sql.join(skus, sql.fragment`, `)})`));
      const bySku = Map.groupBy(rows, (row) => row.sku);
      return skus.map((sku) => bySku.get(sku) ?? []);
    },
    { cache: false },
  );

  return {
    productBySku: (sku) => db.maybeOne(sql.type(productRow)`SELECT ${productColumns} FROM products WHERE sku = ${sku}`),

    batchByReference: (reference) => db.maybeOne(batchesWithAllocations(sql.fragment`reference = ${reference}`)),

    products: async (args, order) => {
      const connection = `products:${order.field}:${order.direction}`;
      const request = pageRequest(connection, args, PAGE_SIZES, 2);
      if (order.field === 'CREATED_AT') assertTimestampKeys(request);
      const page = keysetPage({
        key: { column: sortColumn[order.field], direction: order.direction },
        tieBreaker: sql.identifier(['sku']),
        request,
      });
      const rows = await db.any(sql.type(productRow)`
        SELECT ${productColumns} FROM products WHERE ${page.where} ORDER BY ${page.orderBy} LIMIT ${page.limit}`);
      return {
        ...connectionFromRows(rows, request, productKey(order)),
        totalCount: () => db.oneFirst(sql.type(count)`SELECT count(*) AS count FROM products`),
      };
    },

    batchesOfProduct: async (sku, args) => {
      const request = pageRequest(`batches:${sku}`, args, PAGE_SIZES, 3);
      const all = await batchesBySku.load(sku);
      return { ...connectionFromSortedArray(all, request, batchKey), totalCount: async () => all.length };
    },

    availableQuantityOfProduct: async (sku) =>
      (await batchesBySku.load(sku)).reduce((sum, batch) => sum + batch.purchasedQuantity - batch.allocatedQuantity, 0),

    allocationsOfOrder: async (orderId) => [
      ...(await db.any(sql.type(allocationViewRow)`
        SELECT order_id AS "orderId", sku, batch_reference AS "batchReference"
        FROM allocations_view WHERE order_id = ${orderId} ORDER BY sku`)),
    ],
  };
};

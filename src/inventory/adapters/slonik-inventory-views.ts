import { sql, type CommonQueryMethods } from 'slonik';
import type { InventoryViews } from '../services/views.ts';
import { batchColumns, batchRow, productColumns, productRow } from './rows.ts';

export const createInventoryViews = (db: CommonQueryMethods): InventoryViews => ({
  productBySku: (sku) =>
    db.maybeOne(sql.type(productRow)`
      SELECT ${productColumns} FROM products WHERE sku = ${sku}`),

  batchByReference: (reference) =>
    db.maybeOne(sql.type(batchRow)`SELECT ${batchColumns} FROM batches WHERE reference = ${reference}`),

  batchesOfProduct: async (sku) => [
    ...(await db.any(sql.type(batchRow)`
      SELECT ${batchColumns} FROM batches WHERE sku = ${sku}
      ORDER BY eta NULLS FIRST, created_at, reference`)),
  ],
});

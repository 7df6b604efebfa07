import {
  sql,
  UniqueIntegrityConstraintViolationError,
  type DatabaseTransactionConnection,
  type FragmentSqlToken,
} from 'slonik';
import { z } from 'zod';
import { ConcurrentUpdateError } from '../../core/errors.ts';
import type { EventRecorder } from '../../core/ports.ts';
import { duplicateBatch } from '../domain/errors.ts';
import { allocatedQuantity, type Allocation, type Batch, type Product } from '../domain/product.ts';
import type { ProductRepository } from '../services/ports.ts';
import { batchColumns, batchRow, productColumns, productRecordColumns, productRecordRow, productRow } from './rows.ts';

const allocationRow = z.object({
  orderId: z.string(),
  batchReference: z.string(),
  quantity: z.number().int(),
  allocatedAt: z.date(),
});
const storedBatchRow = batchRow.extend({ allocatedQuantity: z.number().int() });
const allocationColumns = sql.fragment`
  order_id AS "orderId", batch_reference AS "batchReference", quantity, allocated_at AS "allocatedAt"`;

// Every field of the line: re-allocating an order to the same batch with another quantity is a change too.
const lineKey = (batch: Batch, allocation: Allocation): string =>
  [batch.reference, allocation.orderId, allocation.quantity, allocation.allocatedAt.getTime()].join('\u0000');
const allocationsOf = (product: Product | undefined): Map<string, { batch: Batch; allocation: Allocation }> =>
  new Map(
    (product?.batches ?? []).flatMap((batch) =>
      batch.allocations.map((allocation) => [lineKey(batch, allocation), { batch, allocation }] as const),
    ),
  );

/**
 * Products with their batches, saved as a diff against what was loaded in this transaction. Loading a product locks
 * its row (`FOR UPDATE`) until the transaction ends, so its writers take turns instead of failing
 * (docs/decisions/0012-writers-of-one-product-take-turns.md); the version check stays as the safety net. A product
 * is loaded with what a decision needs, not its history: each batch's allocated units (`batches.allocated_quantity`,
 * kept here with every line added or removed) and only the lines asked for. A save that changes nothing writes
 * nothing and keeps the version (an out-of-stock answer is not a change) but still hands the product's events over;
 * any change bumps the version by exactly one, refused if someone else's save came first.
 */
export const createProductRepository = (
  connection: DatabaseTransactionConnection,
  events: EventRecorder,
): ProductRepository => {
  const loaded = new Map<string, Product>();

  /** Checked before inserting so the usual case raises no SQL error (which would abort the transaction). */
  const insertBatch = async (batch: Batch): Promise<void> => {
    if (await connection.exists(sql.unsafe`SELECT 1 FROM batches WHERE reference = ${batch.reference}`)) {
      throw duplicateBatch(batch.reference);
    }
    try {
      await connection.query(sql.unsafe`
        INSERT INTO batches (reference, sku, purchased_quantity, eta, allocated_quantity)
        VALUES (${batch.reference}, ${batch.sku}, ${batch.purchasedQuantity}, ${batch.eta}::date,
                ${allocatedQuantity(batch)})`);
    } catch (error) {
      if (error instanceof UniqueIntegrityConstraintViolationError) throw duplicateBatch(batch.reference);
      throw error;
    }
  };

  const bumpVersion = async (product: Product): Promise<void> => {
    const saved =
      product.version === 0
        ? await connection.maybeOne(sql.type(productRow)`
            INSERT INTO products (sku, description, version, owner_id)
            VALUES (${product.sku}, ${product.description}, 1, ${product.ownerId}::uuid)
            ON CONFLICT (sku) DO NOTHING
            RETURNING ${productColumns}`)
        : await connection.maybeOne(sql.type(productRow)`
            UPDATE products SET description = ${product.description}, version = version + 1
            WHERE sku = ${product.sku} AND version = ${product.version}
            RETURNING ${productColumns}`);
    if (!saved) throw new ConcurrentUpdateError(`Product ${product.sku}`);
  };

  /** The SQL a save needs, or none when the product is as it was loaded. */
  const changesOf = (product: Product, before: Product | undefined): Array<() => Promise<unknown>> => {
    const writes: Array<() => Promise<unknown>> = [];
    const oldBatches = new Map(before?.batches.map((batch) => [batch.reference, batch]));
    for (const batch of product.batches) {
      const old = oldBatches.get(batch.reference);
      if (!old) writes.push(() => insertBatch(batch));
      else if (
        old.purchasedQuantity !== batch.purchasedQuantity ||
        old.eta !== batch.eta ||
        allocatedQuantity(old) !== allocatedQuantity(batch)
      ) {
        writes.push(() =>
          connection.query(sql.unsafe`
            UPDATE batches SET purchased_quantity = ${batch.purchasedQuantity}, eta = ${batch.eta}::date,
                               allocated_quantity = ${allocatedQuantity(batch)}
            WHERE reference = ${batch.reference}`),
        );
      }
    }
    const [oldLines, newLines] = [allocationsOf(before), allocationsOf(product)];
    for (const [key, { batch, allocation }] of oldLines) {
      if (!newLines.has(key)) {
        writes.push(() =>
          connection.query(sql.unsafe`
            DELETE FROM allocations WHERE order_id = ${allocation.orderId} AND sku = ${batch.sku}`),
        );
      }
    }
    for (const [key, { batch, allocation }] of newLines) {
      if (!oldLines.has(key)) {
        writes.push(() =>
          connection.query(sql.unsafe`
            INSERT INTO allocations (order_id, sku, batch_reference, quantity, allocated_at)
            VALUES (${allocation.orderId}, ${batch.sku}, ${batch.reference}, ${allocation.quantity},
                    ${allocation.allocatedAt.toISOString()}::timestamptz)`),
        );
      }
    }
    return writes;
  };

  const load = async (row: z.infer<typeof productRecordRow>, lines: FragmentSqlToken | null): Promise<Product> => {
    const batches = await connection.any(sql.type(storedBatchRow)`
      SELECT ${batchColumns}, allocated_quantity AS "allocatedQuantity"
      FROM batches WHERE sku = ${row.sku} ORDER BY created_at, reference`);
    const allocations = lines
      ? await connection.any(sql.type(allocationRow)`
          SELECT ${allocationColumns} FROM allocations WHERE ${lines} ORDER BY allocated_at, order_id`)
      : [];
    const product: Product = {
      sku: row.sku,
      description: row.description,
      version: row.version,
      ownerId: row.ownerId,
      batches: batches.map(({ reference, purchasedQuantity, eta, allocatedQuantity: held }) => {
        const mine = allocations
          .filter((allocation) => allocation.batchReference === reference)
          .map(({ orderId, quantity, allocatedAt }) => ({ orderId, quantity, allocatedAt }));
        const loadedUnits = mine.reduce((total, allocation) => total + allocation.quantity, 0);
        return {
          reference,
          sku: row.sku,
          purchasedQuantity,
          eta,
          allocations: mine,
          unloadedQuantity: held - loadedUnits,
        };
      }),
      events: [],
    };
    loaded.set(product.sku, product);
    return product;
  };

  return {
    async get(sku, lines) {
      const row = await connection.maybeOne(sql.type(productRecordRow)`
        SELECT ${productRecordColumns} FROM products WHERE sku = ${sku} FOR UPDATE`);
      const ofOrder = lines && sql.fragment`sku = ${sku} AND order_id = ${lines.ofOrder}`;
      return row ? load(row, ofOrder ?? null) : null;
    },

    async getByBatchReference(reference) {
      const row = await connection.maybeOne(sql.type(productRecordRow)`
        SELECT ${productRecordColumns} FROM products
        WHERE sku = (SELECT sku FROM batches WHERE reference = ${reference}) FOR UPDATE`);
      return row ? load(row, sql.fragment`batch_reference = ${reference}`) : null;
    },

    async save(product) {
      const before = loaded.get(product.sku);
      const writes = changesOf(product, before);
      const changed = writes.length > 0 || !before || before.description !== product.description;
      if (changed) {
        // Version first: a concurrent writer fails here, before any of its other statements run.
        await bumpVersion(product);
        for (const write of writes) await write();
      }
      events.record(product.events);
      loaded.set(product.sku, { ...product, version: changed ? product.version + 1 : product.version, events: [] });
    },
  };
};

import { sql, UniqueIntegrityConstraintViolationError, type DatabaseTransactionConnection } from 'slonik';
import { ConcurrentUpdateError, DomainError } from '../../core/errors.ts';
import type { EventRecorder } from '../../core/ports.ts';
import type { Batch, Product } from '../domain/product.ts';
import type { ProductRepository } from '../services/ports.ts';
import { batchColumns, batchRow, productColumns, productRow } from './rows.ts';

/**
 * Products with their batches, saved as a diff against what was loaded in this transaction (so an unchanged
 * batch costs no statement). The version check makes a concurrent save of the same product fail instead of
 * silently overwriting it.
 */
export const createProductRepository = (
  connection: DatabaseTransactionConnection,
  events: EventRecorder,
): ProductRepository => {
  const loaded = new Map<string, Product>();

  const duplicate = (reference: string): DomainError =>
    new DomainError('InvalidInput', 'DuplicateBatch', `Batch ${reference} already exists`, { field: 'reference' });

  /**
   * A reference taken by another product is the caller's mistake. Checked first so the usual case raises no SQL
   * error (which would abort the transaction); the unique key still settles a race between two inserts.
   */
  const insertBatch = async (batch: Batch): Promise<void> => {
    const taken = await connection.exists(sql.unsafe`SELECT 1 FROM batches WHERE reference = ${batch.reference}`);
    if (taken) throw duplicate(batch.reference);
    try {
      await connection.query(sql.unsafe`
        INSERT INTO batches (reference, sku, purchased_quantity, eta)
        VALUES (${batch.reference}, ${batch.sku}, ${batch.purchasedQuantity}, ${batch.eta}::date)`);
    } catch (error) {
      if (error instanceof UniqueIntegrityConstraintViolationError) throw duplicate(batch.reference);
      throw error;
    }
  };

  const saveProductRow = async (product: Product): Promise<void> => {
    const saved =
      product.version === 0
        ? await connection.maybeOne(sql.type(productRow)`
            INSERT INTO products (sku, description, version) VALUES (${product.sku}, ${product.description}, 1)
            ON CONFLICT (sku) DO NOTHING
            RETURNING ${productColumns}`)
        : await connection.maybeOne(sql.type(productRow)`
            UPDATE products SET description = ${product.description}, version = version + 1
            WHERE sku = ${product.sku} AND version = ${product.version}
            RETURNING ${productColumns}`);
    if (!saved) throw new ConcurrentUpdateError(`Product ${product.sku}`);
  };

  return {
    async get(sku) {
      const row = await connection.maybeOne(sql.type(productRow)`
        SELECT ${productColumns} FROM products WHERE sku = ${sku}`);
      if (!row) return null;
      const batches = await connection.any(sql.type(batchRow)`
        SELECT ${batchColumns} FROM batches WHERE sku = ${sku} ORDER BY created_at, reference`);
      const product: Product = {
        sku: row.sku,
        description: row.description,
        version: row.version,
        batches: batches.map(({ reference, purchasedQuantity, eta }) => ({ reference, sku, purchasedQuantity, eta })),
        events: [],
      };
      loaded.set(sku, product);
      return product;
    },

    async save(product) {
      await saveProductRow(product);
      const before = new Set(loaded.get(product.sku)?.batches.map((batch) => batch.reference));
      for (const batch of product.batches) {
        if (!before.has(batch.reference)) await insertBatch(batch);
      }
      events.record(product.events);
      loaded.set(product.sku, { ...product, version: product.version + 1, events: [] });
    },
  };
};

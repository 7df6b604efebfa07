/**
 * The reproducible benchmark data set, seeded straight into Postgres with generate_series (a million products in a
 * few seconds), and the product orderings and cursors the deep-page measurements need.
 *
 * - Products SKU-00000001 ... SKU-<N>: versions 1 to 7 (a stored product has version >= 1: the repository takes
 *   version 0 for a product not saved yet), creation times at millisecond precision, scattered relative to the SKU
 *   order, about a fifth of them shared by two products (so the sku tie-breaker of CREATED_AT paging matters).
 * - Optionally 3 batches per product (BATCH-<sku number>-1..3): the first in stock (no ETA), the others arriving
 *   within 90 days; 1 to 500 units each.
 * - Optionally one allocated order line (1 unit, from the in-stock batch) for every `allocationsEvery`-th product,
 *   in `allocations` and in its read model `allocations_view`, as an allocation service's data would have.
 * - Optionally a hot product (one batch with plenty of stock) for contended allocations.
 * - Optionally products with a given allocation history: one batch with plenty of stock, and that many order lines
 *   already allocated from it (in `allocations` and `allocations_view`).
 * - Optionally an owner for every product (the scoped reader of support/callers.ts).
 * Then VACUUM (ANALYZE), so autovacuum does not run during the measurements and the planner has statistics.
 */
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { encodeCursor, type CursorKey } from '../../src/core/pagination.ts';
import type { SortDirection } from '../../src/platform/database/keyset.ts';
import { progress, round } from './cli.ts';

export type DatasetOptions = {
  readonly products: number;
  readonly batches: boolean;
  /** One allocated line for every n-th product (null: none). Needs batches. */
  readonly allocationsEvery?: number | null;
  readonly hotProduct?: { readonly sku: string; readonly batchReference: string; readonly quantity: number } | null;
  readonly historyProducts?: ReadonlyArray<{
    readonly sku: string;
    readonly batchReference: string;
    readonly lines: number;
  }>;
  /** The user every product belongs to (null: nobody's). */
  readonly ownerId?: string | null;
};

export type SeedTimes = {
  readonly productsMs: number;
  readonly batchesMs: number | null;
  readonly allocationsMs: number | null;
  readonly vacuumAnalyzeMs: number;
};

export const skuOf = (index: number): string => `SKU-${String(index).padStart(8, '0')}`;

/** Products that share their creation time with an earlier one: see the module comment. */
export const distinctCreatedAt = (products: number): number => Math.max(1, Math.floor(products * 0.8));

const timed = async (run: () => Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await run();
  return performance.now() - started;
};

export const seedDataset = async (pool: DatabasePool, options: DatasetOptions): Promise<SeedTimes> => {
  const { products } = options;
  const ownerId = options.ownerId ?? null;
  const count = (value: number) => value.toLocaleString('en-US');
  // i * 7919 mod m is a bijection on each run of m consecutive i (7919 is prime and does not divide m unless m is a
  // multiple of it), so the first m products get distinct times and the remaining N - m share one with an earlier
  // product. The factor 1237 ms spreads them over roughly 11.5 days per 800,000 products, out of SKU order.
  const productsMs = await timed(() =>
    pool.query(sql.unsafe`
      INSERT INTO products (sku, description, version, created_at, owner_id)
      SELECT 'SKU-' || lpad(i::text, 8, '0'),
             'Benchmark product number ' || i || ', a plain description of typical length',
             1 + (i % 7)::int,
             timestamptz '2024-01-01 00:00:00+00'
               + ((i::bigint * 7919) % ${distinctCreatedAt(products)}::bigint) * interval '1237 milliseconds',
             ${ownerId}::uuid
      FROM generate_series(1, ${products}::int) AS i`),
  );
  progress(`seeded ${count(products)} products in ${(productsMs / 1000).toFixed(1)} s`);

  let batchesMs: number | null = null;
  if (options.batches) {
    batchesMs = await timed(() =>
      pool.query(sql.unsafe`
        INSERT INTO batches (reference, sku, purchased_quantity, eta, created_at)
        SELECT 'BATCH-' || lpad(i::text, 8, '0') || '-' || j,
               'SKU-' || lpad(i::text, 8, '0'),
               1 + ((i * 31 + j * 17) % 500),
               CASE WHEN j = 1 THEN NULL ELSE date '2025-01-01' + ((i + j * 7) % 90) END,
               timestamptz '2024-01-01 00:00:00+00' + (i::bigint * 3 + j) * interval '1 second'
        FROM generate_series(1, ${products}::int) AS i, generate_series(1, 3) AS j`),
    );
    progress(`seeded ${count(products * 3)} batches in ${(batchesMs / 1000).toFixed(1)} s`);
  }

  let allocationsMs: number | null = null;
  const every = options.allocationsEvery ?? null;
  if (every !== null) {
    if (!options.batches) throw new Error('seedDataset: allocations need batches');
    allocationsMs = await timed(async () => {
      await pool.query(sql.unsafe`
        INSERT INTO allocations (order_id, sku, batch_reference, quantity, allocated_at)
        SELECT 'SEED-ORDER-' || i, 'SKU-' || lpad(i::text, 8, '0'), 'BATCH-' || lpad(i::text, 8, '0') || '-1', 1,
               timestamptz '2024-06-01 00:00:00+00' + i * interval '1 second'
        FROM generate_series(${every}::int, ${products}::int, ${every}::int) AS i`);
      await pool.query(sql.unsafe`
        INSERT INTO allocations_view (order_id, sku, batch_reference)
        SELECT order_id, sku, batch_reference FROM allocations`);
    });
    progress(`seeded ${count(Math.floor(products / every))} allocations in ${(allocationsMs / 1000).toFixed(1)} s`);
  }

  if (options.hotProduct) {
    const { sku, batchReference, quantity } = options.hotProduct;
    await pool.query(sql.unsafe`
      INSERT INTO products (sku, description, version, owner_id)
      VALUES (${sku}, 'The product every order wants', 1, ${ownerId}::uuid)`);
    await pool.query(sql.unsafe`
      INSERT INTO batches (reference, sku, purchased_quantity, eta) VALUES (${batchReference}, ${sku}, ${quantity}, NULL)`);
  }

  for (const { sku, batchReference, lines } of options.historyProducts ?? []) {
    const started = performance.now();
    await pool.query(sql.unsafe`
      INSERT INTO products (sku, description, version, owner_id)
      VALUES (${sku}, ${`A product with ${lines} earlier order lines`}, 1, ${ownerId}::uuid)`);
    await pool.query(sql.unsafe`
      INSERT INTO batches (reference, sku, purchased_quantity, eta) VALUES (${batchReference}, ${sku}, 100000000, NULL)`);
    await pool.query(sql.unsafe`
      INSERT INTO allocations (order_id, sku, batch_reference, quantity, allocated_at)
      SELECT ${`${sku}-ORDER-`} || i, ${sku}, ${batchReference}, 1,
             timestamptz '2024-06-01 00:00:00+00' + i * interval '1 second'
      FROM generate_series(1, ${lines}::int) AS i`);
    await pool.query(sql.unsafe`
      INSERT INTO allocations_view (order_id, sku, batch_reference)
      SELECT order_id, sku, batch_reference FROM allocations WHERE sku = ${sku}`);
    progress(
      `seeded ${sku} with ${count(lines)} allocated lines in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }

  // The units each batch's lines hold, kept on the batch by the application (migrations/current.sql).
  await pool.query(sql.unsafe`
    UPDATE batches SET allocated_quantity = held.quantity
    FROM (SELECT batch_reference, sum(quantity)::int AS quantity FROM allocations GROUP BY batch_reference) held
    WHERE held.batch_reference = batches.reference`);

  // VACUUM as well as ANALYZE: otherwise autovacuum, triggered by the inserts, runs during the measurements.
  const vacuumAnalyzeMs = await timed(() => pool.query(sql.unsafe`VACUUM (ANALYZE)`));
  progress(`VACUUM (ANALYZE) in ${(vacuumAnalyzeMs / 1000).toFixed(1)} s`);
  return {
    productsMs: round(productsMs, 0),
    batchesMs: batchesMs === null ? null : round(batchesMs, 0),
    allocationsMs: allocationsMs === null ? null : round(allocationsMs, 0),
    vacuumAnalyzeMs: round(vacuumAnalyzeMs, 0),
  };
};

// ---------------------------------------------------------------------------------------------------------------
// Orderings and cursors, exactly as src/inventory/adapters/slonik-product-page.ts builds them

export type Ordering = {
  readonly label: string;
  readonly field: 'SKU' | 'CREATED_AT';
  readonly direction: SortDirection;
  readonly column: 'sku' | 'created_at';
};

export const SKU_ASC: Ordering = { label: 'SKU ASC', field: 'SKU', direction: 'ASC', column: 'sku' };
export const CREATED_AT_DESC: Ordering = {
  label: 'CREATED_AT DESC',
  field: 'CREATED_AT',
  direction: 'DESC',
  column: 'created_at',
};

export const connectionName = (ordering: Ordering): string => `products:${ordering.field}:${ordering.direction}`;

export type KeyRow = { readonly sku: string; readonly createdAt: Date };

export const cursorKey = (ordering: Ordering, row: KeyRow): CursorKey => [
  ordering.field === 'SKU' ? row.sku : row.createdAt.toISOString(),
  row.sku,
];

export const cursorOf = (ordering: Ordering, row: KeyRow): string =>
  encodeCursor(connectionName(ordering), cursorKey(ordering, row));

/**
 * Rows at 1-based positions position-1, position and position+1 of the ordering (walked by SQL with OFFSET), among
 * the products whose SKU matches `skuLike` (default: every product).
 */
export const rowsAround = async (
  pool: DatabasePool,
  ordering: Ordering,
  position: number,
  skuLike = '%',
): Promise<KeyRow[]> => {
  const direction = ordering.direction === 'ASC' ? sql.fragment`ASC` : sql.fragment`DESC`;
  const rows = await pool.any(sql.type(z.object({ sku: z.string(), createdAt: z.date() }))`
    SELECT sku, created_at AS "createdAt" FROM products WHERE sku LIKE ${skuLike}
    ORDER BY ${sql.identifier([ordering.column])} ${direction}, sku ${direction}
    OFFSET ${position - 2}::int LIMIT 3`);
  if (rows.length !== 3) throw new Error(`expected 3 rows around position ${position}, got ${rows.length}`);
  return [...rows];
};

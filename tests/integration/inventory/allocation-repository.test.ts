import { sql } from 'slonik';
import { z } from 'zod';
import { createProductRepository } from '../../../src/inventory/adapters/slonik-product-repository.ts';
import { allocate, deallocate } from '../../../src/inventory/domain/allocation.ts';
import { addBatch, changeBatchQuantity, newProduct, type Product } from '../../../src/inventory/domain/product.ts';
import type { ProductRepository } from '../../../src/inventory/services/ports.ts';
import { useRepositoryHarness } from '../../support/repository-harness.ts';

// How the product repository stores allocations (pg-mem): as a diff against what it loaded, one version per change.

const harness = useRepositoryHarness(createProductRepository);
const { inTransaction } = harness;

const at = (minute: number): Date => new Date(Date.UTC(2026, 0, 1, 9, minute, 0, 123));

const storedVersion = () => harness.database.pool.oneFirst(sql.unsafe`SELECT version FROM products WHERE sku = 'LAMP'`);
const allocationRow = z.object({
  order_id: z.string(),
  sku: z.string(),
  batch_reference: z.string(),
  quantity: z.number(),
  allocated_at: z.date(),
});
const storedAllocations = () =>
  harness.database.pool.any(sql.type(allocationRow)`
    SELECT order_id, sku, batch_reference, quantity, allocated_at FROM allocations ORDER BY order_id`);
const storedQuantities = () =>
  harness.database.pool.any(sql.unsafe`SELECT reference, purchased_quantity FROM batches ORDER BY reference`);

/** The SQL texts `work` sends (the harness records every statement of its single connection). */
const statementsOf = async (work: () => Promise<unknown>): Promise<string[]> => {
  const start = harness.database.statements.length;
  await work();
  return harness.database.statements.slice(start).map((statement) => statement.replace(/\s+/g, ' ').trim());
};
const writesOf = (statements: string[]) =>
  statements.filter((statement) => /^(INSERT|UPDATE|DELETE)\b/i.test(statement));

/** 'here' (in stock, 10 units) and 'later' (arriving, 5 units), stored at version 1. */
const saveLamp = () =>
  inTransaction((products) =>
    products.save(
      addBatch(addBatch(newProduct('LAMP', 'a lamp'), { reference: 'here', quantity: 10, eta: null }), {
        reference: 'later',
        quantity: 5,
        eta: '2027-01-15',
      }),
    ),
  );

/** The product, with the lines of `ofOrder` when given (as the handlers load it for one order's line). */
const mustGet = async (products: ProductRepository, sku = 'LAMP', ofOrder?: string): Promise<Product> => {
  const product = await products.get(sku, ofOrder === undefined ? undefined : { ofOrder });
  if (!product) throw new Error(`${sku} was not saved`);
  return product;
};

/** Every stored line of LAMP, batch by batch, each batch loaded with all its lines (as resizing it loads them). */
const linesByBatch = () =>
  inTransaction(async (products) =>
    Promise.all(
      ['here', 'later'].map(async (reference) => {
        const owner = await products.getByBatchReference(reference);
        const batch = owner?.batches.find((each) => each.reference === reference);
        return [reference, batch?.allocations.map((allocation) => ({ ...allocation }))];
      }),
    ),
  );

/** Allocates every line in one change, each at its own instant, and fails the test on any out-of-stock verdict. */
const allocateAll = (product: Product, lines: ReadonlyArray<[orderId: string, quantity: number, minute: number]>) =>
  lines.reduce((current, [orderId, quantity, minute]) => {
    const outcome = allocate(current, { orderId, sku: 'LAMP', quantity }, at(minute));
    if (outcome.kind !== 'allocated') throw new Error(`${orderId} found no room`);
    return outcome.product;
  }, product);

const allocationsOf = (product: Product | null) =>
  product?.batches.map((batch) => [batch.reference, batch.allocations.map((allocation) => ({ ...allocation }))]);

describe('the product repository and allocations', () => {
  beforeEach(async () => {
    await saveLamp();
    harness.recorded.splice(0);
  });

  it('saves allocations as rows, one version for the whole change, and loads them back oldest first with allocatedAt', async () => {
    const sent = await statementsOf(() =>
      inTransaction(async (products) =>
        // Made out of chronological order: the load must order by allocated_at, not by insertion.
        products.save(
          allocateAll(await mustGet(products), [
            ['o-late', 2, 30],
            ['o-early', 3, 10],
            ['o-mid', 1, 20],
          ]),
        ),
      ),
    );

    const writes = writesOf(sent);
    expect(writes).toHaveLength(5);
    expect(writes[0]).toMatch(/^UPDATE products SET .*version = version \+ 1/);
    // The units the batch holds, kept on it: what the next allocation reads instead of every line.
    expect(writes[1]).toMatch(/^UPDATE batches SET .*allocated_quantity = \$\d+ WHERE reference = \$\d+$/);
    expect(writes.slice(2).every((statement) => statement.startsWith('INSERT INTO allocations'))).toBe(true);
    expect(await storedVersion()).toBe(2);
    expect(await storedAllocations()).toEqual([
      { order_id: 'o-early', sku: 'LAMP', batch_reference: 'here', quantity: 3, allocated_at: at(10) },
      { order_id: 'o-late', sku: 'LAMP', batch_reference: 'here', quantity: 2, allocated_at: at(30) },
      { order_id: 'o-mid', sku: 'LAMP', batch_reference: 'here', quantity: 1, allocated_at: at(20) },
    ]);
    const loaded = await inTransaction((products) => products.get('LAMP'));
    expect(loaded?.version).toBe(2);
    expect(await linesByBatch()).toEqual([
      [
        'here',
        [
          { orderId: 'o-early', quantity: 3, allocatedAt: at(10) },
          { orderId: 'o-mid', quantity: 1, allocatedAt: at(20) },
          { orderId: 'o-late', quantity: 2, allocatedAt: at(30) },
        ],
      ],
      ['later', []],
    ]);
    expect(harness.recorded.map((event) => [event.type, (event as { orderId?: string }).orderId])).toEqual([
      ['Allocated', 'o-late'],
      ['Allocated', 'o-early'],
      ['Allocated', 'o-mid'],
    ]);
  });

  it("loads the allocations of each batch under that batch, and each batch's units held by lines not loaded", async () => {
    await inTransaction(async (products) =>
      // 'here' has 10 units: the third line only fits 'later'.
      products.save(
        allocateAll(await mustGet(products), [
          ['o-1', 6, 1],
          ['o-2', 4, 2],
          ['o-3', 5, 3],
        ]),
      ),
    );

    expect(await linesByBatch()).toEqual([
      [
        'here',
        [
          { orderId: 'o-1', quantity: 6, allocatedAt: at(1) },
          { orderId: 'o-2', quantity: 4, allocatedAt: at(2) },
        ],
      ],
      ['later', [{ orderId: 'o-3', quantity: 5, allocatedAt: at(3) }]],
    ]);
    // Loaded for one order's line: that line only, the rest as units held (what allocation decides on).
    const [plain, forOrder] = await inTransaction(async (products) => [
      await mustGet(products),
      await mustGet(products, 'LAMP', 'o-2'),
    ]);
    const shape = (product: Product) =>
      product.batches.map((batch) => [
        batch.reference,
        batch.allocations.map((line) => line.orderId),
        batch.unloadedQuantity,
      ]);
    expect(shape(plain)).toEqual([
      ['here', [], 10],
      ['later', [], 5],
    ]);
    expect(shape(forOrder)).toEqual([
      ['here', ['o-2'], 6],
      ['later', [], 5],
    ]);
  });

  it('writes no statement for an allocation that changes nothing (the line again, or out of stock), keeps the version and still hands over OutOfStock', async () => {
    await inTransaction(async (products) => products.save(allocateAll(await mustGet(products), [['o-1', 10, 1]])));
    harness.recorded.splice(0);

    const [again, outOfStock, afterwards] = await inTransaction(async (products) => {
      const loaded = await mustGet(products, 'LAMP', 'o-1');
      const repeated = allocate(loaded, { orderId: 'o-1', sku: 'LAMP', quantity: 10 }, at(2));
      const repeatedSent = await statementsOf(() => products.save(repeated.product));
      const refused = allocate(repeated.product, { orderId: 'o-2', sku: 'LAMP', quantity: 6 }, at(3));
      expect(refused.kind).toBe('out-of-stock');
      const refusedSent = await statementsOf(() => products.save(refused.product));
      // The repository still holds version 2 for this product: a real change after them must save over it. (Its
      // events were handed over already; a product keeps its events, so they are dropped before it is saved again.)
      const fits = allocate({ ...refused.product, events: [] }, { orderId: 'o-3', sku: 'LAMP', quantity: 5 }, at(4));
      const fitsSent = await statementsOf(() => products.save(fits.product));
      return [repeatedSent, refusedSent, writesOf(fitsSent)];
    });

    expect(again).toEqual([]);
    expect(outOfStock).toEqual([]);
    expect(afterwards).toHaveLength(3);
    expect(harness.recorded).toEqual([
      { type: 'OutOfStock', sku: 'LAMP', orderId: 'o-2', quantity: 6 },
      { type: 'Allocated', sku: 'LAMP', orderId: 'o-3', quantity: 5, batchReference: 'later' },
    ]);
    expect(await storedVersion()).toBe(3);
    expect((await storedAllocations()).map((row) => [row.order_id, row.batch_reference])).toEqual([
      ['o-1', 'here'],
      ['o-3', 'later'],
    ]);
  });

  it('deletes the row of a deallocated line, as one new version', async () => {
    await inTransaction(async (products) =>
      products.save(
        allocateAll(await mustGet(products), [
          ['o-1', 2, 1],
          ['o-2', 3, 2],
        ]),
      ),
    );
    harness.recorded.splice(0);

    const sent = await statementsOf(() =>
      inTransaction(async (products) =>
        products.save(deallocate(await mustGet(products, 'LAMP', 'o-1'), 'o-1').product),
      ),
    );

    const writes = writesOf(sent);
    expect(writes).toHaveLength(3);
    expect(writes[0]).toMatch(/^UPDATE products SET .*version = version \+ 1/);
    expect(writes[1]).toMatch(/^UPDATE batches SET .*allocated_quantity = \$\d+ WHERE reference = \$\d+$/);
    expect(writes[2]).toMatch(/^DELETE FROM allocations WHERE order_id = \$1 AND sku = \$2$/);
    expect(await storedVersion()).toBe(3);
    expect((await storedAllocations()).map((row) => row.order_id)).toEqual(['o-2']);
    expect(await linesByBatch()).toEqual([
      ['here', [{ orderId: 'o-2', quantity: 3, allocatedAt: at(2) }]],
      ['later', []],
    ]);
    expect(harness.recorded).toEqual([
      { type: 'Deallocated', orderId: 'o-1', sku: 'LAMP', quantity: 2, batchReference: 'here', reason: 'cancelled' },
    ]);
  });

  it('deletes a line before inserting it again when one change moves it to another batch', async () => {
    await inTransaction(async (products) => products.save(allocateAll(await mustGet(products), [['o-1', 10, 1]])));

    // 'o-1' gives its units up, 'o-2' takes them, and 'o-1' comes back to find only 'later' with room.
    await inTransaction(async (products) =>
      products.save(
        allocateAll(deallocate(await mustGet(products, 'LAMP', 'o-1'), 'o-1').product, [
          ['o-2', 10, 2],
          ['o-1', 5, 3],
        ]),
      ),
    );

    expect(await storedVersion()).toBe(3);
    expect(await storedAllocations()).toEqual([
      { order_id: 'o-1', sku: 'LAMP', batch_reference: 'later', quantity: 5, allocated_at: at(3) },
      { order_id: 'o-2', sku: 'LAMP', batch_reference: 'here', quantity: 10, allocated_at: at(2) },
    ]);
  });

  it('updates purchased_quantity of a shrunk batch and deletes the allocations it evicted, most recent first', async () => {
    await inTransaction(async (products) =>
      products.save(
        allocateAll(await mustGet(products), [
          ['o-1', 2, 1],
          ['o-3', 2, 3],
          ['o-2', 2, 2],
          ['o-4', 2, 4],
        ]),
      ),
    );
    harness.recorded.splice(0);

    const sent = await statementsOf(() =>
      inTransaction(async (products) =>
        products.save(changeBatchQuantity((await products.getByBatchReference('here'))!, 'here', 5)),
      ),
    );

    const writes = writesOf(sent);
    expect(writes[0]).toMatch(/^UPDATE products SET .*version = version \+ 1/);
    expect(writes.slice(1).map((statement) => statement.split(' ').slice(0, 3).join(' '))).toEqual([
      'UPDATE batches SET',
      'DELETE FROM allocations',
      'DELETE FROM allocations',
    ]);
    expect(await storedVersion()).toBe(3);
    expect(await storedQuantities()).toEqual([
      { reference: 'here', purchased_quantity: 5 },
      { reference: 'later', purchased_quantity: 5 },
    ]);
    // Held 8, room for 5: the two most recent lines (o-4 at minute 4, o-3 at minute 3) go.
    expect((await storedAllocations()).map((row) => row.order_id)).toEqual(['o-1', 'o-2']);
    expect(
      await harness.database.pool.anyFirst(sql.unsafe`SELECT allocated_quantity FROM batches ORDER BY reference`),
    ).toEqual([4, 0]);
    expect(harness.recorded.map((event) => [event.type, (event as { orderId?: string }).orderId])).toEqual([
      ['BatchQuantityChanged', undefined],
      ['Deallocated', 'o-4'],
      ['Deallocated', 'o-3'],
    ]);
    const loaded = await inTransaction((products) => products.get('LAMP'));
    expect(loaded?.batches.map((batch) => [batch.reference, batch.purchasedQuantity])).toEqual([
      ['here', 5],
      ['later', 5],
    ]);
  });

  it('finds the product owning a batch by its reference, with its allocations, and null for an unknown reference', async () => {
    await inTransaction(async (products) => {
      await products.save(addBatch(newProduct('DESK', 'a desk'), { reference: 'desk-1', quantity: 4, eta: null }));
      await products.save(allocateAll(await mustGet(products), [['o-1', 1, 1]]));
    });
    await inTransaction(async (products) => {
      const desk = await mustGet(products, 'DESK');
      const outcome = allocate(desk, { orderId: 'o-9', sku: 'DESK', quantity: 3 }, at(9));
      await products.save(outcome.product);
    });

    const [desk, lamp, none] = await inTransaction(async (products) => [
      await products.getByBatchReference('desk-1'),
      await products.getByBatchReference('later'),
      await products.getByBatchReference('no-such-batch'),
    ]);

    expect(desk).toMatchObject({ sku: 'DESK', description: 'a desk', version: 2 });
    expect(allocationsOf(desk)).toEqual([['desk-1', [{ orderId: 'o-9', quantity: 3, allocatedAt: at(9) }]]]);
    expect(lamp).toMatchObject({ sku: 'LAMP', version: 2 });
    // Only the lines of the batch asked for; the others count as units held.
    expect(allocationsOf(lamp)).toEqual([
      ['here', []],
      ['later', []],
    ]);
    expect(lamp?.batches.map((batch) => batch.unloadedQuantity)).toEqual([1, 0]);
    expect(none).toBeNull();
  });

  it('saves a product found by batch reference like one found by SKU: one version per change', async () => {
    await inTransaction(async (products) => products.save(allocateAll(await mustGet(products), [['o-1', 4, 1]])));

    await inTransaction(async (products) => {
      const owner = await products.getByBatchReference('here');
      if (!owner) throw new Error('here has no product');
      await products.save(changeBatchQuantity(owner, 'here', 3));
    });

    expect(await storedVersion()).toBe(3);
    expect(await storedQuantities()).toContainEqual({ reference: 'here', purchased_quantity: 3 });
    expect(await storedAllocations()).toEqual([]);
  });
});

import { bootstrap } from '../../../src/bootstrap.ts';
import { DomainError } from '../../../src/core/errors.ts';
import { allocate } from '../../../src/inventory/domain/allocation.ts';
import type { InventoryEvent } from '../../../src/inventory/domain/events.ts';
import { createFakeInventoryViews } from '../../fakes/fake-inventory-views.ts';
import { FakeInventoryUnitOfWork } from '../../fakes/fake-unit-of-work.ts';
import { RecordingLogger } from '../../fakes/recording-logger.ts';
import { recordingSubscriber } from '../../fakes/recording-subscriber.ts';

/**
 * The application wired with in-memory fakes and a clock that ticks one second per reading, plus a subscriber
 * recording every allocation event the bus publishes (after the inventory's own handlers, e.g. the read model).
 */
const application = () => {
  const store = new FakeInventoryUnitOfWork();
  const logger = new RecordingLogger();
  const { published, record } = recordingSubscriber<InventoryEvent>();
  let ticks = 0;
  const clock = { now: () => new Date(Date.UTC(2026, 0, 1) + (ticks += 1) * 1000) };
  const { bus } = bootstrap({
    logger,
    clock,
    overrides: { inventory: { unitOfWork: () => store, views: () => createFakeInventoryViews(store) } },
    eventHandlers: { Allocated: [record], Deallocated: [record], OutOfStock: [record] },
  });
  const addBatch = (reference: string, quantity: number, eta: string | null = null) =>
    bus.execute({ type: 'AddBatch', reference, sku: 'SKU-1', quantity, eta, ownerId: null });
  const allocateLine = (orderId: string, quantity: number, sku = 'SKU-1') =>
    bus.execute({ type: 'Allocate', orderId, sku, quantity });
  const product = () => store.products.get('SKU-1');
  const ordersIn = (reference: string) =>
    product()
      ?.batches.find((batch) => batch.reference === reference)
      ?.allocations.map((allocation) => allocation.orderId);
  return { bus, store, logger, published, addBatch, allocateLine, product, ordersIn };
};

describe('allocating an order line (Allocate)', () => {
  it('answers with the batch it took, commits the allocation as one new version and publishes Allocated', async () => {
    const app = application();
    await app.addBatch('shipment', 10, '2026-03-01');
    await app.addBatch('warehouse', 10);

    await expect(app.allocateLine('o-1', 3)).resolves.toEqual({ batchReference: 'warehouse' });

    expect(app.product()?.version).toBe(3);
    expect(app.ordersIn('warehouse')).toEqual(['o-1']);
    expect(app.published).toEqual([
      { type: 'Allocated', orderId: 'o-1', sku: 'SKU-1', quantity: 3, batchReference: 'warehouse' },
    ]);
  });

  it('when no batch has room, refuses with OutOfStock after committing and publishing the OutOfStock event', async () => {
    const app = application();
    await app.addBatch('b-1', 2);
    const committedBefore = app.store.committedCount;

    const rejection = app.allocateLine('o-1', 3);

    await expect(rejection).rejects.toBeInstanceOf(DomainError);
    await expect(rejection).rejects.toMatchObject({
      name: 'OutOfStock',
      category: 'RuleViolation',
      message: 'Out of stock for SKU-1',
    });
    expect(app.published).toEqual([{ type: 'OutOfStock', sku: 'SKU-1', orderId: 'o-1', quantity: 3 }]);
    expect(app.store.committedCount).toBe(committedBefore + 1);
    expect(app.product()).toMatchObject({ version: 1, batches: [{ reference: 'b-1', allocations: [] }] });
    expect(app.logger.at('error')).toEqual([]);
  });

  it('refuses an unknown product as ProductNotFound, committing nothing', async () => {
    const app = application();

    await expect(app.allocateLine('o-1', 1, 'SKU-9')).rejects.toMatchObject({
      category: 'NotFound',
      name: 'ProductNotFound',
    });
    expect(app.store.committedCount).toBe(0);
    expect(app.published).toEqual([]);
  });

  it('refuses a malformed SKU as invalid input, before opening a transaction', async () => {
    const app = application();

    await expect(app.allocateLine('o-1', 1, 'SKU 1')).rejects.toMatchObject({
      category: 'InvalidInput',
      details: { field: 'sku' },
    });
    expect(app.store.attemptCount).toBe(0);
  });

  it('allocating the same line again answers with its batch, bumps no version and publishes nothing', async () => {
    const app = application();
    await app.addBatch('b-1', 10);
    await app.allocateLine('o-1', 3);
    app.published.splice(0);

    await expect(app.allocateLine('o-1', 3)).resolves.toEqual({ batchReference: 'b-1' });

    expect(app.product()?.version).toBe(2);
    expect(app.ordersIn('b-1')).toEqual(['o-1']);
    expect(app.published).toEqual([]);
  });

  it('when two clerks allocate the last units at once, the one saving second retries and gets OutOfStock', async () => {
    const app = application();
    await app.addBatch('b-1', 10);
    app.store.beforeNextSave(() => {
      // The other clerk's allocation of all ten units commits between our load and our save.
      const loaded = app.product();
      if (!loaded) throw new Error('SKU-1 should exist');
      const theirs = allocate(loaded, { orderId: 'o-other', sku: 'SKU-1', quantity: 10 }, new Date());
      app.store.products.set('SKU-1', { ...theirs.product, version: loaded.version + 1, events: [] });
    });
    const attemptsBefore = app.store.attemptCount;

    await expect(app.allocateLine('o-1', 10)).rejects.toMatchObject({ name: 'OutOfStock' });

    expect(app.store.attemptCount).toBe(attemptsBefore + 2);
    expect(app.ordersIn('b-1')).toEqual(['o-other']);
    expect(app.product()?.version).toBe(2);
    expect(app.published).toEqual([expect.objectContaining({ type: 'OutOfStock', orderId: 'o-1' })]);
  });
});

describe('deallocating an order line (Deallocate)', () => {
  it('answers with the batch the line was in, frees its units and publishes Deallocated without reallocating it', async () => {
    const app = application();
    await app.addBatch('b-1', 10);
    await app.addBatch('b-2', 10, '2026-03-01');
    await app.allocateLine('o-1', 10);
    app.published.splice(0);

    await expect(app.bus.execute({ type: 'Deallocate', orderId: 'o-1', sku: 'SKU-1' })).resolves.toEqual({
      batchReference: 'b-1',
    });

    expect(app.product()?.version).toBe(4);
    expect(app.ordersIn('b-1')).toEqual([]);
    expect(app.ordersIn('b-2')).toEqual([]);
    expect(app.published).toEqual([
      { type: 'Deallocated', orderId: 'o-1', sku: 'SKU-1', quantity: 10, batchReference: 'b-1', reason: 'cancelled' },
    ]);
    await expect(app.allocateLine('o-2', 10)).resolves.toEqual({ batchReference: 'b-1' });
  });

  it.each([
    ['a line the product does not hold', 'SKU-1', 'AllocationNotFound'],
    ['a product that does not exist', 'SKU-9', 'ProductNotFound'],
  ])('refuses %s as NotFound, committing nothing', async (_name, sku, name) => {
    const app = application();
    await app.addBatch('b-1', 10);
    const committedBefore = app.store.committedCount;

    await expect(app.bus.execute({ type: 'Deallocate', orderId: 'o-1', sku })).rejects.toMatchObject({
      category: 'NotFound',
      name,
    });
    expect(app.store.committedCount).toBe(committedBefore);
  });
});

describe('changing a batch quantity (ChangeBatchQuantity)', () => {
  it('answers with the SKU and reference, and commits the new quantity as one new version', async () => {
    const app = application();
    await app.addBatch('b-1', 10);

    await expect(app.bus.execute({ type: 'ChangeBatchQuantity', reference: 'b-1', quantity: 25 })).resolves.toEqual({
      sku: 'SKU-1',
      reference: 'b-1',
    });

    expect(app.product()).toMatchObject({ version: 2, batches: [{ purchasedQuantity: 25 }] });
  });

  it('refuses an unknown reference as BatchNotFound', async () => {
    const app = application();
    await app.addBatch('b-1', 10);

    await expect(app.bus.execute({ type: 'ChangeBatchQuantity', reference: 'b-9', quantity: 5 })).rejects.toMatchObject(
      {
        category: 'NotFound',
        name: 'BatchNotFound',
      },
    );
  });

  it('deallocates the lines the shrunk batch can no longer hold and leaves their reallocation to a background task', async () => {
    const app = application();
    await app.addBatch('b-1', 10);
    await app.addBatch('b-2', 10, '2026-03-01');
    await app.allocateLine('o-1', 4);
    await app.allocateLine('o-2', 6);
    app.published.splice(0);

    await expect(app.bus.execute({ type: 'ChangeBatchQuantity', reference: 'b-1', quantity: 5 })).resolves.toEqual({
      sku: 'SKU-1',
      reference: 'b-1',
    });

    // The reallocate job carries it from here (tests/unit/inventory/reallocate-task.test.ts): nothing in-process.
    expect(app.published).toEqual([
      { type: 'Deallocated', orderId: 'o-2', sku: 'SKU-1', quantity: 6, batchReference: 'b-1', reason: 'batch-shrunk' },
    ]);
    expect(app.ordersIn('b-1')).toEqual(['o-1']);
    expect(app.ordersIn('b-2')).toEqual([]);
    expect(app.store.allocationsView.has('o-2/SKU-1')).toBe(false);
    expect(app.product()?.version).toBe(5);
    expect(app.logger.at('error')).toEqual([]);
  });
});

describe('the product version', () => {
  it('moves by one per committed change and not for a request that changes nothing', async () => {
    const app = application();
    const versionAfter = async (action: () => Promise<unknown>): Promise<number | undefined> => {
      await action().catch(() => undefined);
      return app.product()?.version;
    };

    const versions = [
      await versionAfter(() => app.addBatch('b-1', 5)),
      await versionAfter(() => app.allocateLine('o-1', 3)),
      await versionAfter(() => app.allocateLine('o-1', 3)),
      await versionAfter(() => app.allocateLine('o-2', 3)),
      await versionAfter(() => app.bus.execute({ type: 'Deallocate', orderId: 'o-1', sku: 'SKU-1' })),
      await versionAfter(() => app.bus.execute({ type: 'ChangeBatchQuantity', reference: 'b-1', quantity: 5 })),
      await versionAfter(() => app.bus.execute({ type: 'ChangeBatchQuantity', reference: 'b-1', quantity: 8 })),
    ];

    expect(versions).toEqual([1, 2, 2, 2, 3, 3, 4]);
  });
});

describe('changes made on the version the client read (expectedVersion)', () => {
  const stale = { category: 'Conflict', name: 'StaleVersion', details: { field: 'input.expectedVersion' } };

  it.each([
    ['Allocate', { type: 'Allocate', orderId: 'o-2', sku: 'SKU-1', quantity: 1 }],
    ['Deallocate', { type: 'Deallocate', orderId: 'o-1', sku: 'SKU-1' }],
    ['ChangeBatchQuantity', { type: 'ChangeBatchQuantity', reference: 'b-1', quantity: 9 }],
  ] as const)(
    '%s with a stale version is a Conflict naming the current one, and commits nothing',
    async (_name, command) => {
      const app = application();
      await app.addBatch('b-1', 5);
      await app.allocateLine('o-1', 2);
      const before = app.product();
      const committed = app.store.committedCount;

      await expect(app.bus.execute({ ...command, expectedVersion: 1 })).rejects.toMatchObject({
        ...stale,
        details: { ...stale.details, expectedVersion: 1, currentVersion: 2 },
      });

      expect(app.product()).toEqual(before);
      expect(app.store.committedCount).toBe(committed);
      expect(app.published.map((event) => event.type)).toEqual(['Allocated']);
    },
  );

  it.each([
    ['Allocate', { type: 'Allocate', orderId: 'o-2', sku: 'SKU-1', quantity: 1 }],
    ['Deallocate', { type: 'Deallocate', orderId: 'o-1', sku: 'SKU-1' }],
    ['ChangeBatchQuantity', { type: 'ChangeBatchQuantity', reference: 'b-1', quantity: 9 }],
  ] as const)('%s with the current version applies, and moves the version on by one', async (_name, command) => {
    const app = application();
    await app.addBatch('b-1', 5);
    await app.allocateLine('o-1', 2);

    await app.bus.execute({ ...command, expectedVersion: 2 });

    expect(app.product()?.version).toBe(3);
  });

  it('a stale version is refused even for an order line out of stock: no OutOfStock is committed', async () => {
    const app = application();
    await app.addBatch('b-1', 1);
    await app.allocateLine('o-1', 1);

    await expect(
      app.bus.execute({ type: 'Allocate', orderId: 'o-2', sku: 'SKU-1', quantity: 5, expectedVersion: 1 }),
    ).rejects.toMatchObject(stale);

    expect(app.published.map((event) => event.type)).toEqual(['Allocated']);
  });
});

import { jest } from '@jest/globals';
import { bootstrap } from '../../../src/bootstrap.ts';
import type { BoundHandler } from '../../../src/core/bus.ts';
import { DomainError } from '../../../src/core/errors.ts';
import type { AddBatch } from '../../../src/inventory/domain/commands.ts';
import type { BatchAdded } from '../../../src/inventory/domain/events.ts';
import type { Product } from '../../../src/inventory/domain/product.ts';
import { createFakeInventoryViews } from '../../fakes/fake-inventory-views.ts';
import { FakeInventoryUnitOfWork } from '../../fakes/fake-unit-of-work.ts';
import { RecordingLogger } from '../../fakes/recording-logger.ts';

const command = (overrides: Partial<AddBatch> = {}): AddBatch => ({
  type: 'AddBatch',
  reference: 'b-1',
  sku: 'SKU-1',
  quantity: 10,
  eta: null,
  ownerId: null,
  ...overrides,
});

/** The application wired with in-memory fakes, plus a subscriber that sees each BatchAdded and the store then. */
const application = () => {
  const store = new FakeInventoryUnitOfWork();
  const logger = new RecordingLogger();
  const deliveries: Array<{ event: BatchAdded; storedThen: Product | undefined }> = [];
  const onBatchAdded = jest.fn<BoundHandler<BatchAdded, void>>(async (event) => {
    deliveries.push({ event, storedThen: store.products.get(event.sku) });
    return { ok: true, result: undefined, events: [] };
  });
  const { bus } = bootstrap({
    logger,
    overrides: { inventory: { unitOfWork: () => store, views: () => createFakeInventoryViews(store) } },
    eventHandlers: { BatchAdded: [onBatchAdded] },
  });
  return { bus, store, logger, deliveries, onBatchAdded };
};

describe('adding a batch (AddBatch)', () => {
  it('creates the product at version 1 with its first batch, and answers with the SKU and reference', async () => {
    const { bus, store } = application();

    const result = await bus.execute(command({ reference: 'b-1', quantity: 10, eta: '2026-03-01' }));

    expect(result).toEqual({ sku: 'SKU-1', reference: 'b-1' });
    expect(store.products.get('SKU-1')).toMatchObject({
      version: 1,
      batches: [
        {
          reference: 'b-1',
          sku: 'SKU-1',
          purchasedQuantity: 10,
          eta: '2026-03-01',
          allocations: [],
          unloadedQuantity: 0,
        },
      ],
    });
  });

  it('adds a second batch to the existing product and bumps its version to 2', async () => {
    const { bus, store } = application();

    await bus.execute(command({ reference: 'b-1' }));
    await bus.execute(command({ reference: 'b-2', quantity: 5 }));

    const product = store.products.get('SKU-1');
    expect(product?.version).toBe(2);
    expect(product?.batches.map((each) => each.reference)).toEqual(['b-1', 'b-2']);
  });

  it('makes whoever adds the first batch the owner, and keeps that owner when someone else adds another', async () => {
    const { bus, store } = application();

    await bus.execute(command({ reference: 'b-1', ownerId: 'first-clerk' }));
    await bus.execute(command({ reference: 'b-2', ownerId: 'second-clerk' }));

    expect(store.products.get('SKU-1')?.ownerId).toBe('first-clerk');
  });

  it('creates an ownerless product when nobody in particular adds it (seeding)', async () => {
    const { bus, store } = application();

    await bus.execute(command({ ownerId: null }));

    expect(store.products.get('SKU-1')?.ownerId).toBeNull();
  });

  it('delivers BatchAdded to subscribers once, after the batch is committed', async () => {
    const { bus, deliveries } = application();

    await bus.execute(command({ reference: 'b-1', quantity: 7 }));

    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]?.event).toEqual({
      type: 'BatchAdded',
      sku: 'SKU-1',
      reference: 'b-1',
      quantity: 7,
      eta: null,
    });
    expect(deliveries[0]?.storedThen?.batches.map((each) => each.reference)).toEqual(['b-1']);
  });

  it.each([
    ['a zero quantity', { quantity: 0 }, 'quantity'],
    ['an impossible eta', { eta: '2026-02-30' }, 'eta'],
    ['a malformed reference', { reference: 'b 1' }, 'reference'],
    ['a reference the product already has', { reference: 'b-1' }, 'reference'],
  ])('refuses %s without changing the store or raising an event', async (_name, overrides, field) => {
    const { bus, store, onBatchAdded } = application();
    await bus.execute(command({ reference: 'b-1' }));
    onBatchAdded.mockClear();
    const before = structuredClone(store.products);
    const committedBefore = store.committedCount;

    const rejection = bus.execute(command({ reference: 'b-2', ...overrides }));

    await expect(rejection).rejects.toBeInstanceOf(DomainError);
    await expect(rejection).rejects.toMatchObject({ category: 'InvalidInput', details: { field } });
    expect(store.products).toEqual(before);
    expect(store.committedCount).toBe(committedBefore);
    expect(onBatchAdded).not.toHaveBeenCalled();
  });

  it('refuses a reference already used by another product’s batch', async () => {
    const { bus, store } = application();
    await bus.execute(command({ sku: 'SKU-1', reference: 'b-1' }));

    await expect(bus.execute(command({ sku: 'SKU-2', reference: 'b-1' }))).rejects.toMatchObject({
      name: 'DuplicateBatch',
    });
    expect(store.products.has('SKU-2')).toBe(false);
  });

  it('retries a transaction that lost a race once, and then succeeds with one event', async () => {
    const { bus, store, deliveries } = application();
    store.failNextSave();

    await expect(bus.execute(command({ reference: 'b-1' }))).resolves.toEqual({ sku: 'SKU-1', reference: 'b-1' });

    expect(store.attemptCount).toBe(2);
    expect(store.products.get('SKU-1')?.version).toBe(1);
    expect(deliveries.map(({ event }) => event.reference)).toEqual(['b-1']);
  });

  it('when another clerk adds a batch between our load and our save, the retry builds on their change', async () => {
    const { bus, store, deliveries } = application();
    await bus.execute(command({ reference: 'b-1' }));
    deliveries.splice(0);
    store.beforeNextSave(() => {
      // Another connection commits b-other on top of version 1 while our transaction holds version 1.
      const loaded = store.products.get('SKU-1');
      if (!loaded) throw new Error('SKU-1 should exist');
      const other = {
        reference: 'b-other',
        sku: 'SKU-1',
        purchasedQuantity: 1,
        eta: null,
        allocations: [],
        unloadedQuantity: 0,
      };
      store.products.set('SKU-1', { ...loaded, version: 2, batches: [...loaded.batches, other] });
    });

    await bus.execute(command({ reference: 'b-2' }));

    const product = store.products.get('SKU-1');
    expect(product?.version).toBe(3);
    expect(product?.batches.map((each) => each.reference)).toEqual(['b-1', 'b-other', 'b-2']);
    expect(deliveries.map(({ event }) => event.reference)).toEqual(['b-2']);
  });

  it('reports a Conflict when every attempt loses the race, and leaves the store as it was', async () => {
    const { bus, store, onBatchAdded } = application();
    store.failNextSave().failNextSave().failNextSave();

    await expect(bus.execute(command())).rejects.toMatchObject({ category: 'Conflict' });
    expect(store.products.size).toBe(0);
    expect(onBatchAdded).not.toHaveBeenCalled();
  });
});

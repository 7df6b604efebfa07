import { bootstrap } from '../../../src/bootstrap.ts';
import type { Envelope } from '../../../src/core/messages.ts';
import { taskRoutes } from '../../../src/core/tasks.ts';
import type { Deallocated, InventoryEvent } from '../../../src/inventory/domain/events.ts';
import { inventoryTasks } from '../../../src/inventory/services/tasks.ts';
import { createFakeInventoryViews } from '../../fakes/fake-inventory-views.ts';
import { FakeInventoryUnitOfWork } from '../../fakes/fake-unit-of-work.ts';
import { RecordingLogger } from '../../fakes/recording-logger.ts';
import { recordingSubscriber } from '../../fakes/recording-subscriber.ts';

/**
 * The reallocate background task as the worker runs it (bootstrap's `tasks`), on the in-memory fakes: a product
 * whose batch b-1 (10, in stock) was just shrunk to 5, evicting o-2 (6 units); b-2 (arriving) is empty or full.
 */
const shrunk = async (arrivingRoom: number) => {
  const store = new FakeInventoryUnitOfWork();
  const logger = new RecordingLogger();
  const { published, record } = recordingSubscriber<InventoryEvent>();
  const app = bootstrap({
    logger,
    overrides: { inventory: { unitOfWork: () => store, views: () => createFakeInventoryViews(store) } },
    eventHandlers: { Allocated: [record], Deallocated: [record], OutOfStock: [record] },
  });
  await app.bus.execute({ type: 'AddBatch', reference: 'b-1', sku: 'SKU-1', quantity: 10, eta: null, ownerId: null });
  await app.bus.execute({
    type: 'AddBatch',
    reference: 'b-2',
    sku: 'SKU-1',
    quantity: 6,
    eta: '2026-03-01',
    ownerId: null,
  });
  await app.bus.execute({ type: 'Allocate', orderId: 'o-1', sku: 'SKU-1', quantity: 4 });
  await app.bus.execute({ type: 'Allocate', orderId: 'o-2', sku: 'SKU-1', quantity: 6 });
  // b-1 is full now, so this goes to b-2.
  if (arrivingRoom < 6)
    await app.bus.execute({ type: 'Allocate', orderId: 'o-other', sku: 'SKU-1', quantity: 6 - arrivingRoom });
  await app.bus.execute({ type: 'ChangeBatchQuantity', reference: 'b-1', quantity: 5 });
  const evicted = published.find((event): event is Deallocated => event.type === 'Deallocated');
  if (!evicted) throw new Error('the shrink should have evicted o-2');
  published.splice(0);
  const delivery: Envelope<Deallocated> = {
    id: '6f1d2c3b-4a59-4e7f-8a90-b1c2d3e4f506',
    event: evicted,
    occurredAt: '2026-11-25T12:00:00.000Z',
  };
  const batchOf = (orderId: string) =>
    store.products.get('SKU-1')?.batches.find((batch) => batch.allocations.some((line) => line.orderId === orderId))
      ?.reference;
  const version = () => store.products.get('SKU-1')?.version;
  return { app, store, logger, published, delivery, batchOf, version, run: () => app.tasks.reallocate!.run(delivery) };
};

describe('reallocating a line a shrunk batch evicted (the reallocate task)', () => {
  it('allocates it again where allocation would put it now, records the delivery with it and updates the read model', async () => {
    const task = await shrunk(6);
    const before = task.version();

    await task.run();

    expect(task.batchOf('o-2')).toBe('b-2');
    expect(task.version()).toBe((before ?? 0) + 1);
    expect([...task.store.processed]).toEqual([`reallocate/${task.delivery.id}`]);
    // Its committed Allocated went through the in-process bus, as a command's would.
    expect(task.published).toEqual([
      { type: 'Allocated', orderId: 'o-2', sku: 'SKU-1', quantity: 6, batchReference: 'b-2' },
    ]);
    expect(task.store.allocationsView.get('o-2/SKU-1')).toBe('b-2');
  });

  it('when the same message is delivered twice, allocates once and the repeat changes and publishes nothing', async () => {
    const task = await shrunk(6);
    await task.run();
    const after = task.version();
    task.published.splice(0);

    await task.run();

    expect(task.version()).toBe(after);
    expect(task.published).toEqual([]);
  });

  it('a redelivery after the reallocated line was cancelled does not allocate it again', async () => {
    const task = await shrunk(6);
    await task.run();
    await task.app.bus.execute({ type: 'Deallocate', orderId: 'o-2', sku: 'SKU-1' });

    await task.run();

    expect(task.batchOf('o-2')).toBeUndefined();
  });

  it('when no batch has room, commits OutOfStock (for notifyOutOfStock to mail) and completes: no failure, no retry', async () => {
    const task = await shrunk(0);
    const before = task.version();

    await expect(task.run()).resolves.toBeUndefined();

    expect(task.batchOf('o-2')).toBeUndefined();
    expect(task.published).toEqual([{ type: 'OutOfStock', sku: 'SKU-1', orderId: 'o-2', quantity: 6 }]);
    expect(task.version()).toBe(before);
    expect(task.store.processed.size).toBe(1);
    expect(task.logger.at('error')).toEqual([]);
  });

  it('when it loses every attempt to concurrent writers, fails with nothing recorded, so the next delivery reallocates', async () => {
    const task = await shrunk(6);
    // FAKE_RETRY_POLICY: three attempts, each losing its save.
    task.store.failNextSave().failNextSave().failNextSave();

    // Out of attempts, the unit of work gives up as the CONFLICT a caller would see; graphile-worker retries the job.
    await expect(task.run()).rejects.toMatchObject({ name: 'ConcurrentModification' });
    expect(task.store.processed.size).toBe(0);
    expect(task.batchOf('o-2')).toBeUndefined();

    // The job's retry (graphile-worker's, with backoff).
    await task.run();
    expect(task.batchOf('o-2')).toBe('b-2');
  });

  it('is started by a line the shrink evicted, never by a cancelled one (which enqueues no job at all)', () => {
    const tasksFor = taskRoutes(inventoryTasks);
    const evicted: Deallocated = {
      type: 'Deallocated',
      orderId: 'o-2',
      sku: 'SKU-1',
      quantity: 6,
      batchReference: 'b-1',
      reason: 'batch-shrunk',
    };
    const cancelled: Deallocated = { ...evicted, reason: 'cancelled' };

    expect(tasksFor(evicted)).toEqual(['reallocate']);
    expect(tasksFor(cancelled)).toEqual([]);
  });
});

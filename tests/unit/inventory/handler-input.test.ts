import { bootstrap } from '../../../src/bootstrap.ts';
import { createFakeInventoryViews } from '../../fakes/fake-inventory-views.ts';
import { FakeInventoryUnitOfWork } from '../../fakes/fake-unit-of-work.ts';
import { RecordingLogger } from '../../fakes/recording-logger.ts';

// What a client reads when an inventory command is refused before anything is loaded or when the product moved on:
// the field to fix, and a message naming what changed.

const application = async () => {
  const store = new FakeInventoryUnitOfWork();
  const { bus } = bootstrap({
    logger: new RecordingLogger(),
    clock: { now: () => new Date(Date.UTC(2026, 0, 1)) },
    overrides: { inventory: { unitOfWork: () => store, views: () => createFakeInventoryViews(store) } },
  });
  await bus.execute({ type: 'AddBatch', reference: 'b-1', sku: 'SKU-1', quantity: 5, eta: null, ownerId: null });
  await bus.execute({ type: 'Allocate', orderId: 'o-1', sku: 'SKU-1', quantity: 2 });
  return { bus, store };
};

describe('inventory input refused on its field', () => {
  it.each([
    ['a malformed SKU', { type: 'Deallocate', orderId: 'o-1', sku: 'SKU 1' }, 'sku'],
    ['a malformed order id', { type: 'Deallocate', orderId: 'o 1', sku: 'SKU-1' }, 'orderId'],
    ['a malformed batch reference', { type: 'ChangeBatchQuantity', reference: 'b 1', quantity: 3 }, 'reference'],
    ['a quantity of zero', { type: 'ChangeBatchQuantity', reference: 'b-1', quantity: 0 }, 'quantity'],
  ] as const)('%s', async (_case, command, field) => {
    const { bus, store } = await application();
    const committed = store.committedCount;

    await expect(bus.execute(command)).rejects.toMatchObject({ category: 'InvalidInput', details: { field } });
    expect(store.committedCount).toBe(committed);
  });
});

describe('a change on a product that moved on since the client read it', () => {
  it.each([
    ['Allocate', { type: 'Allocate', orderId: 'o-2', sku: 'SKU-1', quantity: 1 }],
    ['Deallocate', { type: 'Deallocate', orderId: 'o-1', sku: 'SKU-1' }],
    ['ChangeBatchQuantity', { type: 'ChangeBatchQuantity', reference: 'b-1', quantity: 9 }],
  ] as const)('%s says it is the product that changed', async (_name, command) => {
    const { bus } = await application();

    await expect(bus.execute({ ...command, expectedVersion: 1 })).rejects.toMatchObject({
      message: 'The product changed since you read it (it is at version 2, not 1): read it again',
    });
  });
});

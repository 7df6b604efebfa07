/**
 * Inventory's subscriptions on the real adapters (slonik over pg-mem): what each committed command announces on
 * kingdom_events (pg-mem records pg_notify; that a rolled-back transaction's NOTIFY is never heard is Postgres'
 * part, proven in tests/e2e/subscriptions/delivery.test.ts), and what a subscriber reads for a change, through its
 * own scoped views.
 */
import { bootstrap } from '../../../src/bootstrap.ts';
import { permissionsFrom, type Policy } from '../../../src/core/access.ts';
import { inventorySubscriptions } from '../../../src/inventory/entrypoints/subscriptions.ts';
import { createRequestAccess } from '../../../src/platform/auth/request-access.ts';
import { decodeNotices, EVENTS_CHANNEL } from '../../../src/platform/subscriptions/notices.ts';
import type { GraphQLContext } from '../../../src/contexts.ts';
import { testConfig } from '../../support/config.ts';
import { createRecordingLogger } from '../../support/graphql.ts';
import { createPgMemDatabase, type PgMemDatabase } from '../../support/pg-mem.ts';

let database: PgMemDatabase;
beforeEach(async () => {
  database = await createPgMemDatabase();
});
afterEach(async () => database.end());

const application = () => bootstrap({ logger: createRecordingLogger(), pool: database.pool, config: testConfig() });
const announced = () => {
  const notices = database.notifications.flatMap(({ channel, payload }) =>
    channel === EVENTS_CHANNEL ? (decodeNotices(payload) ?? []) : [],
  );
  database.notifications.splice(0);
  return notices;
};

describe('what committed inventory commands announce', () => {
  test('addBatch: the product; allocate: the product and the order line; resizing: the product, once', async () => {
    const { bus } = application();
    await bus.execute({ type: 'AddBatch', reference: 'b-1', sku: 'LAMP', quantity: 10, eta: null, ownerId: null });
    expect(announced()).toEqual([{ field: 'productChanged', change: { sku: 'LAMP' } }]);

    await bus.execute({ type: 'Allocate', orderId: 'o-1', sku: 'LAMP', quantity: 3 });
    await bus.execute({ type: 'Allocate', orderId: 'o-2', sku: 'LAMP', quantity: 3 });
    expect(announced()).toEqual([
      { field: 'productChanged', change: { sku: 'LAMP' } },
      { field: 'orderAllocations', change: { orderId: 'o-1', sku: 'LAMP' } },
      { field: 'productChanged', change: { sku: 'LAMP' } },
      { field: 'orderAllocations', change: { orderId: 'o-2', sku: 'LAMP' } },
    ]);

    // Shrinking evicts both lines: one transaction, BatchQuantityChanged and two Deallocated, one change announced.
    await bus.execute({ type: 'ChangeBatchQuantity', reference: 'b-1', quantity: 1 });
    expect(announced()).toEqual([{ field: 'productChanged', change: { sku: 'LAMP' } }]);
    expect(database.jobs.map((job) => job.task)).toEqual(['reallocate', 'reallocate']);
  });

  test('an allocation that finds no stock, and a command that fails, announce nothing', async () => {
    const { bus } = application();
    await bus.execute({ type: 'AddBatch', reference: 'b-1', sku: 'LAMP', quantity: 1, eta: null, ownerId: null });
    announced();

    await expect(bus.execute({ type: 'Allocate', orderId: 'o-1', sku: 'LAMP', quantity: 5 })).rejects.toMatchObject({
      name: 'OutOfStock',
    });
    await expect(
      bus.execute({ type: 'AddBatch', reference: 'b-1', sku: 'LAMP', quantity: 1, eta: null, ownerId: null }),
    ).rejects.toMatchObject({ category: 'InvalidInput' });

    expect(announced()).toEqual([]);
  });
});

describe('what a subscriber reads for a change, through its own scoped views', () => {
  const contextOf = (app: ReturnType<typeof application>, policies: Policy[]) => {
    const access = createRequestAccess('reader', async (userId) => permissionsFrom(userId, [], policies));
    return { access, views: app.viewsForRequest(access.readScope) } as unknown as GraphQLContext;
  };
  const READ_LAMP: Policy[] = [{ resource: 'PRODUCT', actions: ['READ'], selectors: ['LAMP'] }];

  test('productChanged: the product as it is now, or nothing when the caller may not read it', async () => {
    const app = application();
    await app.bus.execute({ type: 'AddBatch', reference: 'b-1', sku: 'LAMP', quantity: 10, eta: null, ownerId: null });
    await app.bus.execute({ type: 'AddBatch', reference: 'd-1', sku: 'DESK', quantity: 10, eta: null, ownerId: null });
    const { read } = inventorySubscriptions.productChanged!;

    expect(await read({ sku: 'LAMP' }, contextOf(app, READ_LAMP))).toMatchObject({ sku: 'LAMP', version: 1 });
    expect(await read({ sku: 'DESK' }, contextOf(app, READ_LAMP))).toBeNull();
  });

  test('orderAllocations: the line where it is allocated now, from the write side; nothing once released or unreadable', async () => {
    const app = application();
    await app.bus.execute({ type: 'AddBatch', reference: 'b-1', sku: 'LAMP', quantity: 10, eta: null, ownerId: null });
    await app.bus.execute({ type: 'AddBatch', reference: 'd-1', sku: 'DESK', quantity: 10, eta: null, ownerId: null });
    await app.bus.execute({ type: 'Allocate', orderId: 'o-1', sku: 'LAMP', quantity: 1 });
    await app.bus.execute({ type: 'Allocate', orderId: 'o-1', sku: 'DESK', quantity: 1 });
    const { read } = inventorySubscriptions.orderAllocations!;

    expect(await read({ orderId: 'o-1', sku: 'LAMP' }, contextOf(app, READ_LAMP))).toEqual({
      orderId: 'o-1',
      sku: 'LAMP',
      batchReference: 'b-1',
    });
    expect(await read({ orderId: 'o-1', sku: 'DESK' }, contextOf(app, READ_LAMP))).toBeNull();
    await app.bus.execute({ type: 'Deallocate', orderId: 'o-1', sku: 'LAMP' });
    expect(await read({ orderId: 'o-1', sku: 'LAMP' }, contextOf(app, READ_LAMP))).toBeNull();
  });
});

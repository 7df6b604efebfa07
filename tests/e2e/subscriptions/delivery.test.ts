/**
 * Subscriptions on real Postgres: what a subscriber receives is what committed, read again for it after the
 * commit; a write that rolled back, or changed nothing, sends nothing; a commit by another process (the background
 * worker) reaches subscribers like one of this API's own.
 */
import { jest } from '@jest/globals';
import { contexts } from '../../../src/contexts.ts';
import { collectFeeds, createAnnouncer } from '../../../src/platform/subscriptions/notices.ts';
import { createRecordingLogger } from '../../support/graphql.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { killLeftoverWorkers, spawnWorker } from '../support/worker-process.ts';
import { connect, nextOf, subscribe, type TestSocket } from '../support/websocket.ts';
import {
  addBatch,
  adminHeaders,
  allocate,
  changeBatchQuantity,
  data,
  followed,
  ORDER_ALLOCATIONS,
  PRODUCT_CHANGED,
  sleep,
} from './support.ts';

jest.setTimeout(60_000);

let server: TestServer;
let socket: TestSocket;
beforeAll(async () => {
  server = await startTestServer();
  data(await addBatch(server, 'oak-1', 'OAK-TABLE', 10));
  socket = await connect(server.url, { Authorization: (await adminHeaders(server)).authorization });
});
afterEach(() => killLeftoverWorkers());
afterAll(async () => {
  socket?.close();
  await server?.close();
});

/** Subscribes and waits until the server follows it, so that the next change is heard. */
const follow = async (id: string, query: string, variables: Record<string, unknown>) => {
  const before = server.followers();
  subscribe(socket, id, query, variables);
  await followed(server, before + 1);
};

test('after allocate commits, the product subscriber gets the product as it now is, and the order subscriber the allocation', async () => {
  await follow('product', PRODUCT_CHANGED, { sku: 'OAK-TABLE' });
  await follow('order', ORDER_ALLOCATIONS, { orderId: 'order-1' });

  data(await allocate(server, 'order-1', 'OAK-TABLE', 3));

  expect(await nextOf(socket, 'product')).toEqual({
    data: { productChanged: { sku: 'OAK-TABLE', version: 2, availableQuantity: 7 } },
  });
  expect(await nextOf(socket, 'order')).toEqual({
    data: {
      orderAllocations: {
        orderId: 'order-1',
        sku: 'OAK-TABLE',
        batchReference: 'oak-1',
        batch: { reference: 'oak-1' },
      },
    },
  });
});

test('a batch that grows, one added and a deallocation each reach the product subscriber, in commit order', async () => {
  data(await changeBatchQuantity(server, 'oak-1', 12));
  expect(await nextOf(socket, 'product')).toMatchObject({
    data: { productChanged: { version: 3, availableQuantity: 9 } },
  });
  data(await addBatch(server, 'oak-2', 'OAK-TABLE', 5));
  expect(await nextOf(socket, 'product')).toMatchObject({
    data: { productChanged: { version: 4, availableQuantity: 14 } },
  });
  data(
    await server.admin('mutation { deallocate(input: { orderId: "order-1", sku: "OAK-TABLE" }) { batchReference } }'),
  );
  expect(await nextOf(socket, 'product')).toMatchObject({
    data: { productChanged: { version: 5, availableQuantity: 17 } },
  });
  // A deallocation is not an allocation: the order's subscriber hears nothing of it.
  expect(socket.untaken('order')).toEqual([]);
});

test('a write that rolled back sends nothing, nor does an allocation that found no stock', async () => {
  // A reference another product's batch has: the product's version was bumped, then everything rolled back.
  data(await addBatch(server, 'elm-1', 'ELM-CHAIR', 1));
  const refused = await addBatch(server, 'elm-1', 'OAK-TABLE', 1);
  expect(refused.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  // Out of stock: OutOfStock commits, but the product does not change.
  const outOfStock = await allocate(server, 'order-2', 'OAK-TABLE', 1000);
  expect(outOfStock.body.errors?.[0]?.extensions?.code).toBe('OUT_OF_STOCK');
  await sleep(500);
  expect(socket.untaken()).toEqual([]);

  // The subscriptions still work: the next committed change arrives, one version on.
  data(await allocate(server, 'order-2', 'OAK-TABLE', 1));
  expect(await nextOf(socket, 'product')).toMatchObject({ data: { productChanged: { version: 6 } } });
  // order-2 is not the order followed.
  expect(socket.untaken('order')).toEqual([]);
});

test('what a transaction announced is heard only if it commits', async () => {
  const announce = createAnnouncer(collectFeeds(contexts), createRecordingLogger());
  const allocated = { type: 'Allocated', orderId: 'order-1', sku: 'OAK-TABLE', quantity: 1, batchReference: 'oak-1' };
  await server.pool
    .transaction(async (connection) => {
      await announce(connection, [allocated]);
      throw new Error('rolled back');
    })
    .catch(() => undefined);
  await sleep(300);
  expect(socket.untaken()).toEqual([]);

  // The same announcement, committed: both subscribers read the current state (order-1's line was released).
  await server.pool.transaction(async (connection) => announce(connection, [allocated]));
  expect(await nextOf(socket, 'product')).toMatchObject({ data: { productChanged: { version: 6 } } });
  await sleep(300);
  // order-1 holds no line now: the change reads nothing, so nothing is sent.
  expect(socket.untaken('order')).toEqual([]);
});

test('a reallocation the background worker commits reaches the order subscriber', async () => {
  // The product's subscriber hears the three changes below: once it has, so has this process's listener, and the
  // first allocation's announcement cannot reach the order subscriber, which follows only from then on.
  await follow('ash', PRODUCT_CHANGED, { sku: 'ASH-DESK' });
  data(await addBatch(server, 'ash-1', 'ASH-DESK', 4));
  data(await addBatch(server, 'ash-2', 'ASH-DESK', 4));
  data(await allocate(server, 'order-9', 'ASH-DESK', 3));
  for (let heard = 0; heard < 3; heard += 1) await nextOf(socket, 'ash');
  await follow('moved', ORDER_ALLOCATIONS, { orderId: 'order-9' });

  // Shrinking ash-1 evicts the line; the worker (another process) reallocates it to ash-2.
  data(await changeBatchQuantity(server, 'ash-1', 1));
  const worker = await spawnWorker({ DATABASE_URL: server.database.url });
  try {
    expect(await nextOf(socket, 'moved', 20_000)).toEqual({
      data: {
        orderAllocations: {
          orderId: 'order-9',
          sku: 'ASH-DESK',
          batchReference: 'ash-2',
          batch: { reference: 'ash-2' },
        },
      },
    });
  } finally {
    worker.child.kill('SIGTERM');
    await worker.exited;
  }
});

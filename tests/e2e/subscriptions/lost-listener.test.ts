/**
 * The LISTEN connection an API process hears committed changes on can drop (a failover, a restart, an operator's
 * pg_terminate_backend). Changes committed meanwhile are never heard, so every subscription is ended with
 * SUBSCRIPTION_INTERRUPTED (the client subscribes again and reads the current state), and the process hears
 * changes again as soon as it has reconnected by itself.
 */
import { jest } from '@jest/globals';
import { sql } from 'slonik';
import { z } from 'zod';
import { LISTENER_APPLICATION_NAME } from '../../../src/platform/database/channels.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connect, nextOf, subscribe, type TestSocket } from '../support/websocket.ts';
import { addBatch, adminHeaders, allocate, data, followed, PRODUCT_CHANGED, sleep } from './support.ts';

jest.setTimeout(60_000);

let server: TestServer;
let socket: TestSocket;
beforeAll(async () => {
  server = await startTestServer();
  data(await addBatch(server, 'oak-1', 'OAK-TABLE', 100));
  socket = await connect(server.url, { Authorization: (await adminHeaders(server)).authorization });
});
afterAll(async () => {
  socket?.close();
  await server?.close();
});

test('a dropped LISTEN connection ends every subscription with SUBSCRIPTION_INTERRUPTED; once back, subscriptions hear changes again', async () => {
  subscribe(socket, 'before', PRODUCT_CHANGED, { sku: 'OAK-TABLE' });
  await followed(server, 1);

  const terminated = await server.pool.anyFirst(sql.type(z.object({ terminated: z.boolean() }))`
    SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
    WHERE datname = current_database() AND application_name = ${LISTENER_APPLICATION_NAME}`);
  expect(terminated).toEqual([true]);

  const ended = await socket.take((message) => message.id === 'before');
  expect(ended).toEqual({
    id: 'before',
    type: 'error',
    payload: [
      {
        message:
          'The server may have missed changes (its connection to the database was interrupted): subscribe again, and read the current state',
        extensions: { code: 'SUBSCRIPTION_INTERRUPTED' },
      },
    ],
  });
  expect(server.followers()).toBe(0);

  // As a client does: subscribe again (refused with the same code while the server is still reconnecting).
  let attempt = 0;
  for (let waited = 0; server.followers() === 0; waited += 100) {
    if (waited > 10_000) throw new Error('the listener did not come back');
    const id = `again-${++attempt}`;
    subscribe(socket, id, PRODUCT_CHANGED, { sku: 'OAK-TABLE' });
    await sleep(100);
    const refusal = socket.untaken(id).find((message) => message.type === 'next');
    if (refusal)
      expect(refusal.payload).toMatchObject({ errors: [{ extensions: { code: 'SUBSCRIPTION_INTERRUPTED' } }] });
  }
  data(await allocate(server, 'order-after', 'OAK-TABLE', 1));
  expect(await nextOf(socket, `again-${attempt}`)).toMatchObject({ data: { productChanged: { sku: 'OAK-TABLE' } } });
});

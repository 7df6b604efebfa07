/**
 * Shutting down (SIGTERM, a deploy): every WebSocket is closed with 1001 Going Away, which graphql-ws's client (and
 * so Apollo Client) answers by reconnecting, to another instance behind the load balancer. No `complete` is sent
 * first: a completed subscription would not be resumed.
 */
import { jest } from '@jest/globals';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connect, subscribe } from '../support/websocket.ts';
import { addBatch, adminHeaders, data, followed, PRODUCT_CHANGED } from './support.ts';

jest.setTimeout(60_000);

let server: TestServer;
beforeAll(async () => {
  // A long grace period: the sockets must close because they are told to, not because time ran out.
  server = await startTestServer({ SHUTDOWN_GRACE_MS: '30000' });
  data(await addBatch(server, 'oak-1', 'OAK-TABLE', 10));
});
afterAll(async () => server?.database.drop());

test('stop() closes every socket with 1001 Going Away, at once, and sends no complete before', async () => {
  const { authorization } = await adminHeaders(server);
  const sockets = await Promise.all([1, 2, 3].map(() => connect(server.url, { Authorization: authorization })));
  for (const socket of sockets) subscribe(socket, 'oak', PRODUCT_CHANGED, { sku: 'OAK-TABLE' });
  await followed(server, 3);

  const started = performance.now();
  await server.stop();

  expect(performance.now() - started).toBeLessThan(5000);
  for (const socket of sockets) {
    expect(await socket.closed).toEqual({ code: 1001, reason: 'The server is shutting down' });
    expect(socket.received.map((message) => message.type)).toEqual(['connection_ack']);
  }
  expect(server.followers()).toBe(0);
});

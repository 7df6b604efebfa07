/**
 * TRUSTED_DOCUMENTS=enforce covers subscriptions too: a subscribe message runs only a manifest's operation, sent by
 * its exact body or by id (extensions.persistedQuery, with an empty query), and anything else is refused with
 * PERSISTED_QUERY_NOT_IN_LIST before it is parsed. The manifest is the repository's own (examples/ included).
 */
import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { byId, post, PRODUCTION } from '../support/graphql-http.ts';
import { startTestServer, TEST_ADMIN, type TestServer } from '../support/server.ts';
import { connect, nextOf, subscribe, type TestSocket } from '../support/websocket.ts';
import { followed } from './support.ts';

jest.setTimeout(60_000);

const example = (name: string): string =>
  readFileSync(join(import.meta.dirname, '..', '..', '..', 'examples', `${name}.graphql`), 'utf8');
const PRODUCT_CHANGED = example('subscriptions/product-changed');

let server: TestServer;
let socket: TestSocket;
let authorization: string;
beforeAll(async () => {
  server = await startTestServer({ ...PRODUCTION, TRUSTED_DOCUMENTS: 'enforce' });
  // Only the manifest's operations run, signing in included: the examples'.
  const signedIn = await post(server, {
    query: example('01-log-in'),
    variables: { email: TEST_ADMIN.email, password: TEST_ADMIN.password },
  });
  authorization = `Bearer ${(signedIn.body.data as { logIn: { accessToken: string } }).logIn.accessToken}`;
  socket = await connect(server.url, { Authorization: authorization });
});
afterAll(async () => {
  socket?.close();
  await server?.close();
});

test('a manifest subscription runs, sent by its body or by id; another is refused before it is parsed', async () => {
  subscribe(socket, 'by-body', PRODUCT_CHANGED, { sku: 'OAK-TABLE' });
  subscribe(socket, 'by-id', '', { sku: 'OAK-TABLE' }, byId(PRODUCT_CHANGED));
  subscribe(socket, 'unknown', 'subscription Other { productChanged(sku: "OAK-TABLE") { sku } }');

  expect(await socket.take((message) => message.id === 'unknown')).toEqual({
    id: 'unknown',
    type: 'error',
    payload: [
      {
        message:
          'This server runs only the operations its clients ship (its trusted documents), and this is not one of them',
        extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' },
      },
    ],
  });
  await followed(server, 2);
  const added = await post(
    server,
    { query: example('03-add-batch'), variables: { input: { reference: 'oak-1', sku: 'OAK-TABLE', quantity: 10 } } },
    { authorization },
  );
  expect(added.body.errors).toBeUndefined();
  for (const id of ['by-body', 'by-id']) {
    expect(await nextOf(socket, id)).toMatchObject({ data: { productChanged: { sku: 'OAK-TABLE', version: 1 } } });
  }
});

test('over HTTP, the same manifest subscription is refused: subscriptions are served over WebSocket', async () => {
  const answer = await post(server, { query: PRODUCT_CHANGED, variables: { sku: 'OAK-TABLE' } });
  expect(answer.status).toBe(400);
  expect(answer.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
});

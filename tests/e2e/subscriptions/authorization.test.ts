/**
 * A subscription is authorised like every field, and again before every delivery: a caller who may not read the
 * product is refused when subscribing; a caller whose role is revoked gets no further change, and is told so; an
 * order's allocations reach a caller only for the products they may read. (Every caller of the authorization
 * matrix subscribes too: tests/e2e/authorization/inventory.ts.)
 */
import { jest } from '@jest/globals';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connect, nextOf, subscribe, type TestSocket } from '../support/websocket.ts';
import {
  addBatch,
  allocate,
  data,
  followed,
  ORDER_ALLOCATIONS,
  PRODUCT_CHANGED,
  sleep,
  unfollowed,
} from './support.ts';

jest.setTimeout(60_000);

const PASSWORD = 'subscription test password';
let server: TestServer;
let clerk: { id: string; authorization: string };
const sockets: TestSocket[] = [];

/** Reads one product and one of its batches. */
const role = (name: string, sku: string, batch: string) =>
  server.admin('mutation ($input: CreateRoleInput!) { createRole(input: $input) { role { name } } }', {
    input: {
      name,
      policies: [
        { resource: 'PRODUCT', actions: ['READ'], selectors: [sku] },
        { resource: 'BATCH', actions: ['READ'], selectors: [batch] },
      ],
    },
  });
const roleChange = (mutation: 'grantRole' | 'revokeRole', userId: string, name: string) =>
  server.admin(
    `mutation ($input: ${mutation === 'grantRole' ? 'GrantRoleInput' : 'RevokeRoleInput'}!) { ${mutation}(input: $input) { role { name } } }`,
    { input: { userId, role: name } },
  );

const connectAs = async (authorization: string) => {
  const socket = await connect(server.url, { Authorization: authorization });
  sockets.push(socket);
  return socket;
};

/** An account holding only the oak-reader role (the member role every account gets is taken away). */
const oakReader = async (email: string) => {
  const signedUp = data(
    await server.graphql('mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } } }', {
      input: { email, password: PASSWORD, name: 'Clerk' },
    }),
  ).signUp as { user: { id: string } };
  data(await roleChange('revokeRole', signedUp.user.id, 'member'));
  data(await roleChange('grantRole', signedUp.user.id, 'oak-reader'));
  return { id: signedUp.user.id, authorization: (await server.signIn(email, PASSWORD)).authorization! };
};

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_AUTH_PER_ADDRESS: '1000' });
  data(await addBatch(server, 'oak-1', 'OAK-TABLE', 100));
  data(await addBatch(server, 'elm-1', 'ELM-CHAIR', 100));
  data(await role('oak-reader', 'OAK-TABLE', 'oak-1'));
  clerk = await oakReader('clerk@example.com');
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await server?.close();
});

test('a caller without READ on the product is refused when subscribing, as if it did not exist', async () => {
  const socket = await connectAs(clerk.authorization);
  subscribe(socket, 'elm', PRODUCT_CHANGED, { sku: 'ELM-CHAIR' });

  const refusal = await nextOf(socket, 'elm');
  expect(refusal).toMatchObject({
    errors: [{ path: ['productChanged'], extensions: { code: 'NOT_FOUND' } }],
  });
  expect((await socket.take((message) => message.id === 'elm')).type).toBe('complete');
  expect(server.followers()).toBe(0);
});

test('an anonymous socket may connect, but not subscribe to a guarded field', async () => {
  const socket = await connect(server.url);
  sockets.push(socket);
  subscribe(socket, 'oak', PRODUCT_CHANGED, { sku: 'OAK-TABLE' });

  expect(await nextOf(socket, 'oak')).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
});

test("an order's allocations reach a caller only for the products they may read", async () => {
  const socket = await connectAs(clerk.authorization);
  subscribe(socket, 'order', ORDER_ALLOCATIONS, { orderId: 'order-1' });
  await followed(server, 1);

  data(await allocate(server, 'order-1', 'ELM-CHAIR', 1));
  data(await allocate(server, 'order-1', 'OAK-TABLE', 1));

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
  await sleep(300);
  expect(socket.untaken('order')).toEqual([]);
  socket.close();
  await unfollowed(server, 0);
});

test('revoking the role stops delivery: the next change ends the subscription with NOT_FOUND, and nothing follows', async () => {
  const socket = await connectAs(clerk.authorization);
  subscribe(socket, 'oak', PRODUCT_CHANGED, { sku: 'OAK-TABLE' });
  await followed(server, 1);
  data(await allocate(server, 'order-2', 'OAK-TABLE', 1));
  expect(await nextOf(socket, 'oak')).toMatchObject({ data: { productChanged: { sku: 'OAK-TABLE' } } });

  data(await roleChange('revokeRole', clerk.id, 'oak-reader'));
  data(await allocate(server, 'order-3', 'OAK-TABLE', 1));

  const ended = await socket.take((message) => message.id === 'oak');
  expect(ended).toMatchObject({ id: 'oak', type: 'error', payload: [{ extensions: { code: 'NOT_FOUND' } }] });
  data(await allocate(server, 'order-4', 'OAK-TABLE', 1));
  await sleep(300);
  expect(socket.untaken('oak')).toEqual([]);
  expect(server.followers()).toBe(0);
});

test('two callers with the same role share each delivery, yet a revocation ends only the revoked one', async () => {
  const kept = await oakReader('kept@example.com');
  const revoked = await oakReader('revoked@example.com');
  const keptSocket = await connectAs(kept.authorization);
  const revokedSocket = await connectAs(revoked.authorization);
  for (const socket of [keptSocket, revokedSocket]) subscribe(socket, 'oak', PRODUCT_CHANGED, { sku: 'OAK-TABLE' });
  await followed(server, 2);
  data(await allocate(server, 'order-5', 'OAK-TABLE', 1));
  const [first, second] = [await nextOf(keptSocket, 'oak'), await nextOf(revokedSocket, 'oak')];
  expect(first).toEqual(second);

  data(await roleChange('revokeRole', revoked.id, 'oak-reader'));
  data(await allocate(server, 'order-6', 'OAK-TABLE', 1));

  expect(await revokedSocket.take((message) => message.id === 'oak')).toMatchObject({
    type: 'error',
    payload: [{ extensions: { code: 'NOT_FOUND' } }],
  });
  expect(await nextOf(keptSocket, 'oak')).toMatchObject({ data: { productChanged: { sku: 'OAK-TABLE' } } });
});

/**
 * Two API processes on one database, as behind a load balancer: a change committed through one reaches the
 * subscribers of the other, through Postgres (each process LISTENs on its own connection; they share nothing
 * else). The subscriber is graphql-ws's own client, as Apollo Client's GraphQLWsLink uses it.
 */
import { jest } from '@jest/globals';
import { createClient, type Client } from 'graphql-ws';
import { spawnServer, killLeftoverServers, type ServerProcess } from '../support/process.ts';
import { startTestServer, TEST_ADMIN, TEST_JWT_SECRET, type TestServer } from '../support/server.ts';
import { connect, nextOf, subscribe, websocketUrl } from '../support/websocket.ts';
import { addBatch, adminHeaders, data, followed, PRODUCT_CHANGED, sleep } from './support.ts';

jest.setTimeout(90_000);

let one: TestServer;
let other: ServerProcess;
let authorization: string;
const clients: Client[] = [];

beforeAll(async () => {
  one = await startTestServer();
  // The other process: `node src/main.ts` on the same database, with the same signing key.
  other = await spawnServer({
    NODE_ENV: 'test',
    DATABASE_URL: one.database.url,
    JWT_SECRET: TEST_JWT_SECRET,
    KINGDOM_ADMIN_EMAIL: TEST_ADMIN.email,
    KINGDOM_ADMIN_PASSWORD: TEST_ADMIN.password,
  });
  ({ authorization } = await adminHeaders(one));
  data(await addBatch(one, 'oak-1', 'OAK-TABLE', 100));
});
afterAll(async () => {
  for (const client of clients) await client.dispose();
  other?.child.kill('SIGTERM');
  await other?.exited;
  killLeftoverServers();
  await one?.close();
});

const allocateThrough = async (url: string, orderId: string) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({
      query: 'mutation ($input: AllocateInput!) { allocate(input: $input) { batchReference } }',
      variables: { input: { orderId, sku: 'OAK-TABLE', quantity: 1 } },
    }),
  });
  const body = (await response.json()) as { errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
};

const versionOf = async (): Promise<number> =>
  (data(await one.admin('{ product(sku: "OAK-TABLE") { version } }')).product as { version: number }).version;

test('a change committed through one process reaches a graphql-ws subscriber of the other', async () => {
  const delivered: Array<{ sku?: string; version: number }> = [];
  const client = createClient({
    url: websocketUrl(other.url),
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: authorization },
    retryAttempts: 0,
  });
  clients.push(client);
  client.subscribe<{ productChanged: { version: number } }>(
    { query: PRODUCT_CHANGED, variables: { sku: 'OAK-TABLE' } },
    {
      next: (result) => void (result.data && delivered.push(result.data.productChanged)),
      error: (error) => delivered.push({ version: -1, ...(error as object) }),
      complete: () => undefined,
    },
  );

  // That process's follower count is not visible from here: allocate through this one until the other delivers.
  let order = 0;
  for (let waited = 0; delivered.length === 0; waited += 300) {
    if (waited > 15_000) throw new Error('the other process delivered nothing');
    await allocateThrough(one.url, `warm-up-${++order}`);
    await sleep(300);
  }
  await sleep(500);
  const seen = delivered.length;

  await allocateThrough(one.url, 'order-across');
  for (let waited = 0; delivered.length === seen; waited += 20) {
    if (waited > 5000) throw new Error('the change through this process did not reach the other');
    await sleep(20);
  }
  expect(delivered.at(-1)).toMatchObject({ sku: 'OAK-TABLE', version: await versionOf() });
  expect(delivered.every(({ version }) => version > 0)).toBe(true);
});

test('and the other way round: through the spawned process, to a subscriber of this one', async () => {
  const socket = await connect(one.url, { Authorization: authorization });
  subscribe(socket, 'oak', PRODUCT_CHANGED, { sku: 'OAK-TABLE' });
  await followed(one, 1);

  await allocateThrough(other.url, 'order-back');

  expect(await nextOf(socket, 'oak')).toEqual({
    data: { productChanged: { sku: 'OAK-TABLE', version: await versionOf(), availableQuantity: expect.any(Number) } },
  });
  socket.close();
});

test('signing out through one process closes that session’s socket on the other (4403)', async () => {
  const { body } = await one.graphql(
    'mutation ($input: LogInInput!) { logIn(input: $input) { accessToken refreshToken } }',
    { input: { email: TEST_ADMIN.email, password: TEST_ADMIN.password } },
  );
  const { accessToken, refreshToken } = (body.data as { logIn: { accessToken: string; refreshToken: string } }).logIn;
  const socket = await connect(other.url, { Authorization: `Bearer ${accessToken}` });
  subscribe(socket, 'oak', PRODUCT_CHANGED, { sku: 'OAK-TABLE' });

  data(await one.graphql('mutation ($input: LogOutInput!) { logOut(input: $input) }', { input: { refreshToken } }));

  const closed = await Promise.race([socket.closed, sleep(5000).then(() => 'still open')]);
  expect(closed).toEqual({ code: 4403, reason: 'Forbidden: the session ended; sign in again' });
});

/**
 * The WebSocket transport as a client meets it: graphql-transport-ws on the API's own port and path, refusals with
 * the protocol's close codes (4403 a bad token, 4429 too many sockets, 4406 another subprotocol, 4401/4409/4400 a
 * client breaking the protocol), `error` messages with codes for what one subscribe may not do (an over-limit or
 * untrusted document, a query, one subscription too many), keep-alive pings, and a socket that closes when its
 * access token expires.
 */
import { jest } from '@jest/globals';
import jwt from 'jsonwebtoken';
import { WebSocket as WsClient } from 'ws';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../support/server.ts';
import { connect, openSocket, subscribe, websocketUrl, type TestSocket } from '../support/websocket.ts';
import { addBatch, adminHeaders, data, PRODUCT_CHANGED } from './support.ts';

jest.setTimeout(60_000);

let server: TestServer;
let admin: { authorization: string };
const sockets: TestSocket[] = [];
const track = (socket: TestSocket) => (sockets.push(socket), socket);

beforeAll(async () => {
  server = await startTestServer({
    SUBSCRIPTIONS_PER_CONNECTION: '2',
    WEBSOCKET_CONNECTIONS_PER_USER: '3',
    WEBSOCKET_KEEP_ALIVE_MS: '1000',
    RATE_LIMIT_AUTH_PER_ADDRESS: '1000',
  });
  admin = await adminHeaders(server);
  data(await addBatch(server, 'oak-1', 'OAK-TABLE', 10));
});
// Every socket a test opened is closed before the next test, so each starts with its caller's sockets free.
afterEach(async () => {
  const open = sockets.splice(0);
  for (const socket of open) socket.close();
  await Promise.all(open.map((socket) => socket.closed));
  await new Promise((resolve) => setTimeout(resolve, 50));
});
afterAll(async () => server?.close());

const asAdmin = async () => track(await connect(server.url, { Authorization: admin.authorization }));
const errorOf = async (socket: TestSocket, id: string) => {
  const message = await socket.take((candidate) => candidate.id === id);
  expect(message.type).toBe('error');
  return (message.payload as Array<{ message: string; extensions?: { code?: string } }>)[0]!;
};

describe('connection_init', () => {
  test.each([
    ['a token that is not one', { Authorization: 'Bearer not-a-token' }],
    ['a token for another scheme', { authorization: 'Basic YWRtaW46YWRtaW4=' }],
    ['a value that is not a string', { Authorization: { token: 'x' } }],
  ])('%s closes the socket with 4403 Forbidden', async (_case, payload) => {
    const socket = track(await openSocket(server.url));
    socket.send({ type: 'connection_init', payload });

    expect(await socket.closed).toEqual({ code: 4403, reason: 'Forbidden: invalid or expired access token' });
    expect(socket.received).toEqual([]);
  });

  test('the Authorization entry is found whatever its case, as Sandbox and Apollo Client send it', async () => {
    const socket = track(await connect(server.url, { authorization: admin.authorization }));
    subscribe(socket, 'oak', PRODUCT_CHANGED, { sku: 'OAK-TABLE' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(socket.untaken('oak')).toEqual([]);
  });

  test('a socket closes with 4403 when its access token expires', async () => {
    const { sub, sid } = jwt.decode(admin.authorization.slice('Bearer '.length)) as { sub: string; sid: string };
    const expiresSoon = jwt.sign({ sub, sid, typ: 'access', exp: Math.floor(Date.now() / 1000) + 2 }, TEST_JWT_SECRET, {
      algorithm: 'HS256',
      keyid: 'k1',
      issuer: 'kingdom',
      audience: 'kingdom-api',
    });
    const socket = track(await connect(server.url, { Authorization: `Bearer ${expiresSoon}` }));

    const closed = await socket.closed;
    expect(closed).toEqual({ code: 4403, reason: 'Forbidden: the access token expired; connect with a fresh one' });
  });

  test('a user holds at most WEBSOCKET_CONNECTIONS_PER_USER sockets: one more is closed with 4429', async () => {
    const open = [await asAdmin(), await asAdmin(), await asAdmin()];
    const oneMore = track(await openSocket(server.url));
    oneMore.send({ type: 'connection_init', payload: { Authorization: admin.authorization } });
    expect(await oneMore.closed).toEqual({ code: 4429, reason: 'Too many connections for this caller' });

    // Closing one frees its place.
    open[0]!.close();
    await open[0]!.closed;
    await new Promise((resolve) => setTimeout(resolve, 100));
    await asAdmin();
  });

  test.each([
    ['a subscribe before connection_init', 4401, (socket: TestSocket) => subscribe(socket, '1', '{ __typename }')],
    [
      'a second connection_init',
      4429,
      (socket: TestSocket) => {
        socket.send({ type: 'connection_init' });
        socket.send({ type: 'connection_init' });
      },
    ],
    ['a message that is not JSON', 4400, (socket: TestSocket) => socket.send('not json' as unknown as object)],
  ])('%s breaks the protocol: closed with %i', async (_case, code, act) => {
    const socket = track(await openSocket(server.url));
    act(socket);
    expect((await socket.closed).code).toBe(code);
  });

  test('a client that never sends connection_init is closed with 4408 after 3 seconds', async () => {
    const socket = track(await openSocket(server.url));
    expect(await socket.closed).toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
  });

  test('a socket without the graphql-transport-ws subprotocol is closed with 4406', async () => {
    const socket = track(await openSocket(server.url, []));
    expect(await socket.closed).toEqual({ code: 4406, reason: 'Subprotocol not acceptable' });
  });

  test("subscriptions-transport-ws's subprotocol is not chosen, so such a client fails its handshake", async () => {
    const outcome = await new Promise<string>((resolve) => {
      const socket = new WsClient(websocketUrl(server.url), 'graphql-ws');
      socket.on('open', () => resolve('opened'));
      socket.on('error', (error) => resolve(error.message));
    });
    expect(outcome).toBe('Server sent no subprotocol');
  });
});

describe('subscribe', () => {
  test('an over-limit document is refused with an error message and the limit named, the socket stays open', async () => {
    const socket = await asAdmin();
    const deep = `subscription { productChanged(sku: "OAK-TABLE") { ${'batches { edges { node { product { '.repeat(3)}sku${' } } } }'.repeat(3)} } }`;
    const costly =
      'subscription { productChanged(sku: "OAK-TABLE") { batches(first: 100) { edges { node { product { batches(first: 100) { edges { node { reference } } } } } } } } }';
    const tokens = `subscription { productChanged(sku: "OAK-TABLE") { ${'sku '.repeat(1000)} } }`;
    // One at a time: subscriptions being checked count toward SUBSCRIPTIONS_PER_CONNECTION (2 here).
    for (const [id, query, message] of [
      ['deep', deep, 'The operation is nested too deeply; split it into smaller operations'],
      ['costly', costly, 'The operation would cost too much to run; ask for smaller pages or fewer nested lists'],
      ['tokens', tokens, 'The document is too large; split it into smaller operations'],
    ] as const) {
      subscribe(socket, id, query);
      expect(await errorOf(socket, id)).toMatchObject({ message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    }
    subscribe(socket, 'fine', PRODUCT_CHANGED, { sku: 'OAK-TABLE' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(socket.untaken('fine')).toEqual([]);
  });

  test('a misspelt field is refused without a "Did you mean" hint (production behaviour)', async () => {
    const socket = await asAdmin();
    subscribe(socket, 'typo', 'subscription { productChange(sku: "OAK-TABLE") { sku } }');
    const error = await errorOf(socket, 'typo');
    expect(error.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(error.message).not.toMatch(/Did you mean/);
  });

  test('queries and mutations stay on HTTP: over WebSocket they are refused with BAD_REQUEST', async () => {
    const socket = await asAdmin();
    subscribe(socket, 'query', '{ product(sku: "OAK-TABLE") { sku } }');
    expect(await errorOf(socket, 'query')).toEqual({
      message: 'Queries and mutations are served over HTTP; this socket runs subscriptions only',
      extensions: { code: 'BAD_REQUEST' },
    });
    subscribe(
      socket,
      'mutation',
      'mutation { addBatch(input: { reference: "ws-1", sku: "WS", quantity: 1 }) { product { sku } } }',
    );
    expect(await errorOf(socket, 'mutation')).toMatchObject({ extensions: { code: 'BAD_REQUEST' } });
    expect((await server.admin('{ product(sku: "WS") { sku } }')).body.data).toEqual({ product: null });
  });

  test('one subscription past SUBSCRIPTIONS_PER_CONNECTION is refused with TOO_MANY_SUBSCRIPTIONS; the others carry on', async () => {
    const socket = await asAdmin();
    subscribe(socket, 'a', PRODUCT_CHANGED, { sku: 'OAK-TABLE' });
    subscribe(socket, 'b', PRODUCT_CHANGED, { sku: 'OAK-TABLE' });
    subscribe(socket, 'c', PRODUCT_CHANGED, { sku: 'OAK-TABLE' });
    expect(await errorOf(socket, 'c')).toEqual({
      message: 'This connection runs as many subscriptions as it may: complete one first',
      extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
    });

    socket.send({ id: 'a', type: 'complete' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    subscribe(socket, 'c', PRODUCT_CHANGED, { sku: 'OAK-TABLE' });
    data(
      await server.admin(
        'mutation { allocate(input: { orderId: "o-1", sku: "OAK-TABLE", quantity: 1 }) { batchReference } }',
      ),
    );
    for (const id of ['b', 'c']) {
      expect((await socket.take((message) => message.id === id)).type).toBe('next');
    }
    expect(socket.untaken('a')).toEqual([]);
  });

  test('an id already running closes the socket with 4409', async () => {
    const socket = await asAdmin();
    subscribe(socket, 'same', PRODUCT_CHANGED, { sku: 'OAK-TABLE' });
    subscribe(socket, 'same', PRODUCT_CHANGED, { sku: 'OAK-TABLE' });
    expect(await socket.closed).toEqual({ code: 4409, reason: 'Subscriber for same already exists' });
  });
});

describe('the socket', () => {
  test('is pinged every WEBSOCKET_KEEP_ALIVE_MS, and dropped when it stops answering', async () => {
    const open = (autoPong: boolean) =>
      new Promise<{ socket: WsClient; pings: () => number; closed: Promise<number> }>((resolve, reject) => {
        const socket = new WsClient(websocketUrl(server.url), 'graphql-transport-ws', { autoPong });
        let pings = 0;
        socket.on('ping', () => (pings += 1));
        const closed = new Promise<number>((done) => socket.on('close', (code) => done(code)));
        socket.on('open', () => {
          socket.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: admin.authorization } }));
          resolve({ socket, pings: () => pings, closed });
        });
        socket.on('error', reject);
      });
    const alive = await open(true);
    const silent = await open(false);
    try {
      // 1 s between pings: the silent one misses its first and is cut at the second; the other is still there.
      expect(await silent.closed).toBe(1006);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(alive.pings()).toBeGreaterThanOrEqual(2);
      expect(alive.socket.readyState).toBe(WsClient.OPEN);
    } finally {
      for (const { socket } of [alive, silent]) socket.terminate();
    }
  });

  test('shares the port but not other paths: an upgrade of /elsewhere is answered 404', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const socket = new WsClient(websocketUrl(server.url).replace('/graphql', '/elsewhere'), 'graphql-transport-ws');
      socket.on('unexpected-response', (_request, response) => resolve(String(response.statusCode)));
      socket.on('error', (error) => resolve(error.message));
    });
    expect(outcome).toBe('404');
  });

  test('a subscription sent over HTTP is refused with 400 BAD_REQUEST, pointing at WebSocket', async () => {
    const response = await server.admin('subscription { productChanged(sku: "OAK-TABLE") { sku } }');
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      {
        message: 'Subscriptions are served over WebSocket (graphql-transport-ws) at this same URL',
        extensions: { code: 'BAD_REQUEST' },
      },
    ]);
  });
});

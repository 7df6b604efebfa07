/**
 * A WebSocket outlives no session: signing out ends that session's sockets, a password change ends every socket of
 * the account, each closed with 4403 so its subscriptions deliver nothing more, while other sessions' sockets carry
 * on. (Across instances: instances.test.ts.)
 */
import { jest } from '@jest/globals';
import { startTestServer, TEST_ADMIN, type TestServer } from '../support/server.ts';
import { connect, nextOf, openSocket, subscribe, type TestSocket } from '../support/websocket.ts';
import { addBatch, adminHeaders, allocate, data, followed, PRODUCT_CHANGED, unfollowed } from './support.ts';

jest.setTimeout(60_000);

const SESSION_ENDED = { code: 4403, reason: 'Forbidden: the session ended; sign in again' };
const STILL_OPEN = 'still open';

let server: TestServer;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_AUTH_PER_ADDRESS: '1000' });
  await adminHeaders(server);
  data(await addBatch(server, 'oak-1', 'OAK-TABLE', 100));
});
afterEach(async () => {
  const open = sockets.splice(0);
  for (const socket of open) socket.close();
  await Promise.all(open.map((socket) => socket.closed));
});
afterAll(async () => server?.close());

type Session = { readonly authorization: string; readonly refreshToken: string };

const logIn = async (email: string, password: string): Promise<Session> => {
  const { logIn: payload } = data(
    await server.graphql('mutation ($input: LogInInput!) { logIn(input: $input) { accessToken refreshToken } }', {
      input: { email, password },
    }),
  ) as { logIn: { accessToken: string; refreshToken: string } };
  return { authorization: `Bearer ${payload.accessToken}`, refreshToken: payload.refreshToken };
};

/** A socket of `session` that follows OAK-TABLE, once the server follows it. */
const following = async (session: Session): Promise<TestSocket> => {
  const before = server.followers();
  const socket = await connect(server.url, { Authorization: session.authorization });
  sockets.push(socket);
  subscribe(socket, 'oak', PRODUCT_CHANGED, { sku: 'OAK-TABLE' });
  await followed(server, before + 1);
  return socket;
};

/** How `socket` ended within `ms`, or STILL_OPEN. */
const closedWithin = (socket: TestSocket, ms: number) =>
  Promise.race([socket.closed, new Promise((resolve) => setTimeout(() => resolve(STILL_OPEN), ms))]);

test('signing out closes that session’s sockets with 4403; another session’s socket keeps receiving', async () => {
  const leaving = await logIn(TEST_ADMIN.email, TEST_ADMIN.password);
  const staying = await logIn(TEST_ADMIN.email, TEST_ADMIN.password);
  const ended = await following(leaving);
  const kept = await following(staying);

  const loggedOut = data(
    await server.graphql('mutation ($input: LogOutInput!) { logOut(input: $input) }', {
      input: { refreshToken: leaving.refreshToken },
    }),
  );
  expect(loggedOut).toEqual({ logOut: true });

  expect(await closedWithin(ended, 5000)).toEqual(SESSION_ENDED);
  await unfollowed(server, 1);
  data(await allocate(server, 'after-log-out', 'OAK-TABLE', 1));
  expect(await nextOf(kept, 'oak')).toMatchObject({ data: { productChanged: { sku: 'OAK-TABLE' } } });
  expect(ended.received.filter((message) => message.type === 'next')).toEqual([]);
  expect(await closedWithin(kept, 200)).toBe(STILL_OPEN);
});

test('a password change closes every socket of the account; other accounts’ sockets stay open', async () => {
  const email = 'subscriber@example.com';
  data(
    await server.graphql('mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken } }', {
      input: { email, password: 'first password 1', name: 'Sub Scriber' },
    }),
  );
  const first = await logIn(email, 'first password 1');
  const second = await logIn(email, 'first password 1');
  // A new account may not read products: its subscriptions are refused, but its sockets are open.
  const accountSockets = await Promise.all(
    [first, second].map(async ({ authorization }) => {
      const socket = await connect(server.url, { Authorization: authorization });
      sockets.push(socket);
      return socket;
    }),
  );
  const administrator = await following(await logIn(TEST_ADMIN.email, TEST_ADMIN.password));

  const changed = data(
    await server.graphql(
      'mutation ($input: ChangePasswordInput!) { changePassword(input: $input) }',
      { input: { currentPassword: 'first password 1', newPassword: 'second password 2' } },
      { authorization: first.authorization },
    ),
  );
  expect(changed).toEqual({ changePassword: true });

  for (const socket of accountSockets) expect(await closedWithin(socket, 5000)).toEqual(SESSION_ENDED);
  expect(await closedWithin(administrator, 200)).toBe(STILL_OPEN);
});

test('a token whose session has ended is refused at connection_init', async () => {
  const session = await logIn(TEST_ADMIN.email, TEST_ADMIN.password);
  data(
    await server.graphql('mutation ($input: LogOutInput!) { logOut(input: $input) }', {
      input: { refreshToken: session.refreshToken },
    }),
  );
  const socket = await openSocket(server.url);
  socket.send({ type: 'connection_init', payload: { Authorization: session.authorization } });
  expect(await closedWithin(socket, 5000)).toEqual({
    code: 4403,
    reason: 'Forbidden: invalid or expired access token',
  });
});

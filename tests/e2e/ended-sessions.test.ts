/**
 * An ended session's access tokens stop working on the next request, on every instance, over HTTP on real Postgres:
 * log-out, refresh-token reuse, password reset and password change each end sessions, and a token of an ended
 * session is UNAUTHENTICATED (HTTP 401) right after, here and on a second API process on the same database.
 */
import { jest } from '@jest/globals';
import { sql } from 'slonik';
import { z } from 'zod';
import { countStatements } from '../../src/platform/database/statement-counter.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import {
  ChangePasswordDocument,
  LogInDocument,
  LogOutDocument,
  RefreshSessionDocument,
  RequestPasswordResetDocument,
  ResetPasswordDocument,
  SignUpDocument,
  ViewerDocument,
} from '../generated/graphql.ts';
import { type Operation, type Untyped } from '../support/operation.ts';
import { graphqlOver, killLeftoverServers, spawnServer } from './support/process.ts';
import { startTestServer, TEST_JWT_SECRET, type GraphQLResponse, type TestServer } from './support/server.ts';
import { eventually } from './support/worker-process.ts';

jest.setTimeout(90_000);

const SIGN_UP = SignUpDocument;
const LOG_IN = LogInDocument;
const LOG_OUT = LogOutDocument;
const REFRESH = RefreshSessionDocument;
const VIEWER = ViewerDocument;
const REQUEST_RESET = RequestPasswordResetDocument;
const RESET = ResetPasswordDocument;
const CHANGE = ChangePasswordDocument;

const PUBLIC_URL = 'https://app.kingdom.test';
const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'a brand new secret';

type Auth = { accessToken: string; refreshToken: string };
type Send = <TData = Untyped, TVariables = Record<string, unknown>>(
  query: Operation<TData, TVariables>,
  variables?: NoInfer<TVariables>,
  headers?: Record<string, string>,
) => Promise<GraphQLResponse<TData>>;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
/** The tokens a signUp, logIn, refreshSession or resetPassword answered (named by `field`). */
const auth = <Field extends string>(response: GraphQLResponse<Record<Field, Auth>>, field: Field): Auth => {
  expect(response.body.errors).toBeUndefined();
  const tokens = response.body.data?.[field];
  if (!tokens) throw new Error(`no ${field} in ${JSON.stringify(response.body)}`);
  return tokens;
};
/** What a request with this access token gets: the viewer's email, or the error code and HTTP status. */
const viewerWith = async (send: Send, accessToken: string) => {
  const response = await send(VIEWER, {}, bearer(accessToken));
  return response.body.errors
    ? { status: response.status, code: response.body.errors[0]?.extensions?.code }
    : response.body.data?.viewer?.email;
};
const REFUSED = { status: 401, code: 'UNAUTHENTICATED' };

let accounts = 0;
const newEmail = () => `ended-${(accounts += 1)}@example.com`;

const emailBody = z.object({ body: z.string() });
const resetTokenMailedTo = async (server: TestServer, email: string): Promise<string> => {
  const body = await eventually(
    () =>
      server.pool
        .maybeOneFirst(
          sql.type(emailBody)`SELECT body FROM sent_emails WHERE recipient = ${email} ORDER BY id DESC LIMIT 1`,
        )
        .then((found) => found ?? undefined),
    `the reset email to ${email}`,
  );
  return /reset-password\?token=([A-Za-z0-9_-]{43})/.exec(body)?.[1] ?? '';
};

describe('on one API instance', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      WORKER_IN_API: 'true',
      PUBLIC_URL,
      PASSWORD_RESET_MIN_RESPONSE_MS: '0',
      RATE_LIMIT_AUTH_PER_ACCOUNT: '1000',
      RATE_LIMIT_AUTH_PER_ADDRESS: '1000',
    });
  });
  afterAll(() => server.close());

  const send: Send = (query, variables, headers) => server.graphql(query, variables, headers);
  const signUp = async (email = newEmail()) =>
    auth(await send(SIGN_UP, { input: { email, password: PASSWORD, name: 'Pat' } }), 'signUp');
  const logIn = async (email: string, password = PASSWORD) =>
    auth(await send(LOG_IN, { input: { email, password } }), 'logIn');

  test('log-out: that session’s access token is refused on the next request; the user’s other session still works', async () => {
    const email = newEmail();
    const phone = await signUp(email);
    const laptop = await logIn(email);
    expect(await viewerWith(send, phone.accessToken)).toBe(email);

    expect((await send(LOG_OUT, { input: { refreshToken: phone.refreshToken } })).body).toEqual({
      data: { logOut: true },
    });

    expect(await viewerWith(send, phone.accessToken)).toEqual(REFUSED);
    expect(await viewerWith(send, laptop.accessToken)).toBe(email);
  });

  test('refresh-token reuse: the whole family ends, the thief’s and the client’s access tokens with it', async () => {
    const email = newEmail();
    const first = await signUp(email);
    const rotated = auth(await send(REFRESH, { input: { refreshToken: first.refreshToken } }), 'refreshSession');
    expect(await viewerWith(send, rotated.accessToken)).toBe(email);

    const replay = await send(REFRESH, { input: { refreshToken: first.refreshToken } });

    expect(replay.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await viewerWith(send, first.accessToken)).toEqual(REFUSED);
    expect(await viewerWith(send, rotated.accessToken)).toEqual(REFUSED);
  });

  test('password reset: the intruder’s access token is refused right after the reset; the reset’s own session works', async () => {
    const email = newEmail();
    await signUp(email);
    const intruder = await logIn(email);
    expect(await viewerWith(send, intruder.accessToken)).toBe(email);
    await send(REQUEST_RESET, { input: { email } });
    const token = await resetTokenMailedTo(server, email);

    const owner = auth(await send(RESET, { input: { token, newPassword: NEW_PASSWORD } }), 'resetPassword');

    expect(await viewerWith(send, intruder.accessToken)).toEqual(REFUSED);
    expect(await viewerWith(send, owner.accessToken)).toBe(email);
  });

  test('password change: every session’s access tokens are refused, the caller’s included (sign in again)', async () => {
    const email = newEmail();
    const owner = await signUp(email);
    const intruder = await logIn(email);

    const changed = await send(
      CHANGE,
      { input: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } },
      bearer(owner.accessToken),
    );

    expect(changed.body).toEqual({ data: { changePassword: true } });
    expect(await viewerWith(send, intruder.accessToken)).toEqual(REFUSED);
    expect(await viewerWith(send, owner.accessToken)).toEqual(REFUSED);
    expect(await viewerWith(send, (await logIn(email, NEW_PASSWORD)).accessToken)).toBe(email);
  });

  test('a live session costs no query once known: the answer is cached, and LISTEN/NOTIFY keeps it true', async () => {
    const { accessToken } = await signUp();
    const authenticate = () => countStatements(() => server.application.authenticate(accessToken));

    const first = await authenticate();
    const again = await authenticate();

    expect([first.statements, again.statements]).toEqual([1, 0]);
    expect(again.result).not.toBeNull();
  });
});

describe('on two API processes sharing one database', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());
  afterEach(() => killLeftoverServers());

  const environment = (extra: Record<string, string> = {}) => ({
    DATABASE_URL: database.url,
    NODE_ENV: 'test',
    LOG_FORMAT: 'json',
    JWT_SECRET: TEST_JWT_SECRET,
    PUBLIC_URL,
    PASSWORD_RESET_MIN_RESPONSE_MS: '0',
    ...extra,
  });

  test('a password reset on one instance refuses the intruder’s access token there at once, and on the other (which had it cached) as soon as the NOTIFY arrives', async () => {
    // The first runs the background tasks (the reset email); the second only serves.
    const [first, second] = await Promise.all([
      spawnServer(environment({ WORKER_IN_API: 'true' })),
      spawnServer(environment({ WORKER_IN_API: 'false' })),
    ]);
    const on =
      (url: string): Send =>
      (query, variables, headers) =>
        graphqlOver(url, query, variables, headers);
    const email = newEmail();
    expect(
      (await on(first.url)(SIGN_UP, { input: { email, password: PASSWORD, name: 'Pat' } })).body.errors,
    ).toBeUndefined();
    const intruder = auth(await on(second.url)(LOG_IN, { input: { email, password: PASSWORD } }), 'logIn');
    // Both instances know the session as live (and cache it).
    expect(await viewerWith(on(second.url), intruder.accessToken)).toBe(email);
    expect(await viewerWith(on(second.url), intruder.accessToken)).toBe(email);
    expect(await viewerWith(on(first.url), intruder.accessToken)).toBe(email);

    await on(first.url)(REQUEST_RESET, { input: { email } });
    const pool = await import('../../src/platform/database/pool.ts').then(({ createDatabasePool }) =>
      createDatabasePool(database.url, { maxPoolSize: 1 }),
    );
    try {
      const body = await eventually(
        () =>
          pool
            .maybeOneFirst(sql.type(emailBody)`SELECT body FROM sent_emails WHERE recipient = ${email}`)
            .then((found) => found ?? undefined),
        'the reset email',
      );
      const token = /reset-password\?token=([A-Za-z0-9_-]{43})/.exec(body)?.[1] ?? '';
      const owner = auth(await on(first.url)(RESET, { input: { token, newPassword: NEW_PASSWORD } }), 'resetPassword');

      // The instance that ended it refuses at once: it dropped its cache before answering the reset.
      expect(await viewerWith(on(first.url), intruder.accessToken)).toEqual(REFUSED);
      // The other one as soon as Postgres's NOTIFY reaches it, sent when the reset committed: milliseconds, not the
      // access token's 15 minutes. Asked again and again until it refuses, and timed.
      const started = Date.now();
      await eventually(
        async () => ((await viewerWith(on(second.url), intruder.accessToken)) === email ? undefined : true),
        'the second instance to refuse the ended session',
        2000,
      );
      expect(Date.now() - started).toBeLessThan(2000);
      expect(await viewerWith(on(second.url), intruder.accessToken)).toEqual(REFUSED);
      expect(await viewerWith(on(second.url), owner.accessToken)).toBe(email);
    } finally {
      await pool.end();
    }
    for (const server of [first, second]) server.child.kill('SIGTERM');
    expect(await Promise.all([first.exited, second.exited])).toEqual([0, 0]);
  });
});

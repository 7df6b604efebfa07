/**
 * Account recovery (password reset) over HTTP on real Postgres: the reset email goes through the outbox and the
 * worker running inside the test server (WORKER_IN_API), and the token is taken from the email as a person would.
 */
import { jest } from '@jest/globals';
import { sql } from 'slonik';
import { z } from 'zod';
import {
  ChangePasswordDocument,
  LogInDocument,
  RefreshSessionDocument,
  RequestPasswordResetDocument,
  ResetPasswordDocument,
  SignUpDocument,
  ViewerDocument,
} from '../generated/graphql.ts';
import { sourceOf } from '../support/operation.ts';
import { startTestServer, type GraphQLResponse, type TestServer } from './support/server.ts';
import { eventually } from './support/worker-process.ts';

jest.setTimeout(60_000);

const SIGN_UP = SignUpDocument;
const LOG_IN = LogInDocument;
const REFRESH = RefreshSessionDocument;
const VIEWER = ViewerDocument;
const REQUEST_RESET = RequestPasswordResetDocument;
const RESET = ResetPasswordDocument;
const CHANGE = ChangePasswordDocument;

const PUBLIC_URL = 'https://app.kingdom.test';
const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'a brand new secret';

type Auth = { accessToken: string; refreshToken: string; user: { id: string; email: string } };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const errorOf = (response: GraphQLResponse) => response.body.errors?.[0];
const codeOf = (response: GraphQLResponse) => errorOf(response)?.extensions?.code;
const ok = <T>(response: GraphQLResponse, field: string): T => {
  expect(response.body.errors).toBeUndefined();
  return response.body.data?.[field] as T;
};

let accounts = 0;
const newEmail = () => `recover${(accounts += 1)}@example.com`;
let addresses = 0;
/** Behind a trusted proxy each request group gets its own client address, so per-address buckets do not mix. */
const newAddress = () => `203.0.113.${(addresses += 1)}`;
const from = (address: string) => ({ 'x-forwarded-for': address });

const emailRow = z.object({ recipient: z.string(), subject: z.string(), body: z.string() });
const count = z.object({ count: z.number() });

const emailsTo = (server: TestServer, recipient: string) =>
  server.pool.any(
    sql.type(emailRow)`SELECT recipient, subject, body FROM sent_emails WHERE recipient = ${recipient} ORDER BY id`,
  );

/** Waits until `recipient` has `n` emails, and answers the token of the newest one's link. */
const tokenFromEmail = async (server: TestServer, recipient: string, n = 1): Promise<string> => {
  const emails = await eventually(async () => {
    const found = await emailsTo(server, recipient);
    return found.length >= n ? found : undefined;
  }, `reset email ${n} to ${recipient}`);
  expect(emails).toHaveLength(n);
  const link = /^(https:\/\/\S+)$/m.exec(emails.at(-1)!.body)?.[1];
  if (!link) throw new Error(`no link in ${emails.at(-1)!.body}`);
  const url = new URL(link);
  expect(`${url.origin}${url.pathname}`).toBe(`${PUBLIC_URL}/reset-password`);
  return url.searchParams.get('token') ?? '';
};

const tokensOf = (server: TestServer, email: string) =>
  server.pool.oneFirst(sql.type(count)`
    SELECT count(*) AS count FROM password_resets JOIN users ON users.id = password_resets.user_id
    WHERE users.email = ${email}`);

describe('password reset and change over HTTP, with the worker in the API', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      WORKER_IN_API: 'true',
      PUBLIC_URL,
      // The response floor is proven by the second server below; here it would only slow the flows down.
      PASSWORD_RESET_MIN_RESPONSE_MS: '0',
      RATE_LIMIT_AUTH_PER_ACCOUNT: '1000',
      RATE_LIMIT_AUTH_PER_ADDRESS: '1000',
    });
  });
  afterAll(() => server?.close());

  const signUp = async (email = newEmail()): Promise<Auth> =>
    ok<Auth>(await server.graphql(SIGN_UP, { input: { email, password: PASSWORD, name: 'Pat' } }), 'signUp');
  const logIn = (email: string, password: string) => server.graphql(LOG_IN, { input: { email, password } });
  const requestReset = (email: string, headers: Record<string, string> = {}) =>
    server.graphql(REQUEST_RESET, { input: { email } }, headers);
  const reset = (token: string, newPassword = NEW_PASSWORD) => server.graphql(RESET, { input: { token, newPassword } });
  const refresh = (refreshToken: string) => server.graphql(REFRESH, { input: { refreshToken } });

  test('request -> email -> token from the link -> resetPassword signs in; the new password logs in, the old one no longer', async () => {
    const { user, refreshToken } = await signUp();

    // A forged Host or X-Forwarded-Host must not steer the link: it comes from PUBLIC_URL only.
    const requested = await requestReset(user.email.toUpperCase(), {
      'x-forwarded-host': 'evil.example',
      host: 'evil.example',
    });
    expect(requested.body).toEqual({ data: { requestPasswordReset: true } });
    const token = await tokenFromEmail(server, user.email);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [email] = await emailsTo(server, user.email);
    expect(email?.subject).toBe('Reset your Kingdom password');
    expect(email?.body).not.toContain('evil.example');

    const signedIn = ok<Auth>(await reset(token), 'resetPassword');
    expect(signedIn.user).toEqual({ id: user.id, email: user.email });
    expect(ok<{ id: string }>(await server.graphql(VIEWER, {}, bearer(signedIn.accessToken)), 'viewer').id).toBe(
      user.id,
    );
    expect(ok<Auth>(await logIn(user.email, NEW_PASSWORD), 'logIn').user.id).toBe(user.id);
    expect(codeOf(await logIn(user.email, PASSWORD))).toBe('UNAUTHENTICATED');
    // Every session from before the reset is over; the one the reset opened works.
    expect(codeOf(await refresh(refreshToken))).toBe('UNAUTHENTICATED');
    expect(ok<Auth>(await refresh(signedIn.refreshToken), 'refreshSession').user.id).toBe(user.id);
  });

  test('a link works once', async () => {
    const { user } = await signUp();
    await requestReset(user.email);
    const token = await tokenFromEmail(server, user.email);
    ok(await reset(token), 'resetPassword');

    const again = await reset(token, 'yet another secret');

    expect(again.body.data).toBeNull();
    expect(errorOf(again)).toMatchObject({
      message: 'Invalid or expired password reset link; request a new one',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect(ok<Auth>(await logIn(user.email, NEW_PASSWORD), 'logIn').user.id).toBe(user.id);
  });

  test('an expired link is refused, and the password stays as it was', async () => {
    const { user } = await signUp();
    await requestReset(user.email);
    const token = await tokenFromEmail(server, user.email);
    await server.pool.query(sql.unsafe`
      UPDATE password_resets SET expires_at = now() - interval '1 second'
      WHERE user_id = (SELECT id FROM users WHERE email = ${user.email})`);

    expect(codeOf(await reset(token))).toBe('UNAUTHENTICATED');
    expect(ok<Auth>(await logIn(user.email, PASSWORD), 'logIn').user.id).toBe(user.id);
  });

  test('a newer request supersedes the older link; within the email interval a second request mails nothing', async () => {
    const { user } = await signUp();
    await requestReset(user.email);
    const first = await tokenFromEmail(server, user.email);

    // Within PASSWORD_RESET_EMAIL_INTERVAL_SECONDS (60 s): answered alike, but no new token, so no job and no email.
    expect((await requestReset(user.email)).body).toEqual({ data: { requestPasswordReset: true } });
    expect(await tokensOf(server, user.email)).toBe(1);

    // As if the interval had passed: the next request issues a new link and revokes the first.
    await server.pool.query(sql.unsafe`
      UPDATE password_resets SET created_at = created_at - interval '61 seconds' WHERE user_id = (SELECT id FROM users WHERE email = ${user.email})`);
    await requestReset(user.email);
    const second = await tokenFromEmail(server, user.email, 2);

    expect(second).not.toBe(first);
    expect(codeOf(await reset(first))).toBe('UNAUTHENTICATED');
    expect(ok<Auth>(await reset(second), 'resetPassword').user.id).toBe(user.id);
  });

  test('of five requests at once for one account, one issues a link (the account’s row lock serialises them)', async () => {
    const { user } = await signUp();

    const answers = await Promise.all(Array.from({ length: 5 }, () => requestReset(user.email)));

    expect(answers.map((answer) => answer.body)).toEqual(Array(5).fill({ data: { requestPasswordReset: true } }));
    expect(await tokensOf(server, user.email)).toBe(1);
    await tokenFromEmail(server, user.email);
  });

  test('of two resets with one link at once, exactly one succeeds', async () => {
    const { user } = await signUp();
    await requestReset(user.email);
    const token = await tokenFromEmail(server, user.email);

    const [a, b] = await Promise.all([reset(token, 'first new secret'), reset(token, 'second new secret')]);

    expect([a, b].map((answer) => (answer.body.errors ? codeOf(answer) : 'ok')).sort()).toEqual([
      'UNAUTHENTICATED',
      'ok',
    ]);
  });

  test('resetting to the current password is refused (BAD_USER_INPUT on newPassword) and uses the link up', async () => {
    const { user } = await signUp();
    await requestReset(user.email);
    const token = await tokenFromEmail(server, user.email);

    const same = await reset(token, PASSWORD);

    expect(errorOf(same)?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'newPassword' });
    expect(codeOf(await reset(token))).toBe('UNAUTHENTICATED');
  });

  test('changePassword: every session ends, the caller’s access token with it, and the new password logs in', async () => {
    const { user, accessToken, refreshToken } = await signUp();
    const other = ok<Auth>(await logIn(user.email, PASSWORD), 'logIn');

    const changed = await server.graphql(
      CHANGE,
      { input: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } },
      bearer(accessToken),
    );

    expect(changed.body).toEqual({ data: { changePassword: true } });
    expect(codeOf(await refresh(refreshToken))).toBe('UNAUTHENTICATED');
    expect(codeOf(await refresh(other.refreshToken))).toBe('UNAUTHENTICATED');
    // Access tokens name their session, which is checked on every request: it ended, so they stop working at once.
    expect(codeOf(await server.graphql(VIEWER, {}, bearer(accessToken)))).toBe('UNAUTHENTICATED');
    expect(codeOf(await server.graphql(VIEWER, {}, bearer(other.accessToken)))).toBe('UNAUTHENTICATED');
    expect(codeOf(await logIn(user.email, PASSWORD))).toBe('UNAUTHENTICATED');
    expect(ok<Auth>(await logIn(user.email, NEW_PASSWORD), 'logIn').user.id).toBe(user.id);
  });

  test('changePassword refuses a wrong current password, the current one as new, a short one, and anonymous callers', async () => {
    const { user, accessToken } = await signUp();
    const change = (
      input: { currentPassword: string; newPassword: string },
      headers: Record<string, string> = bearer(accessToken),
    ) => server.graphql(CHANGE, { input }, headers);

    const wrong = await change({ currentPassword: 'not the password', newPassword: NEW_PASSWORD });
    expect(errorOf(wrong)).toMatchObject({
      message: 'currentPassword is not the current password',
      extensions: { code: 'BAD_USER_INPUT', field: 'currentPassword' },
    });
    expect(errorOf(await change({ currentPassword: PASSWORD, newPassword: PASSWORD }))?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'newPassword',
    });
    expect(errorOf(await change({ currentPassword: PASSWORD, newPassword: 'seven77' }))?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'newPassword',
    });
    expect(codeOf(await change({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, {}))).toBe('UNAUTHENTICATED');
    expect(ok<Auth>(await logIn(user.email, PASSWORD), 'logIn').user.id).toBe(user.id);
  });

  test('changePassword revokes an outstanding reset link', async () => {
    const { user, accessToken } = await signUp();
    await requestReset(user.email);
    const token = await tokenFromEmail(server, user.email);

    ok(
      await server.graphql(
        CHANGE,
        { input: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } },
        bearer(accessToken),
      ),
      'changePassword',
    );

    expect(codeOf(await reset(token, 'yet another secret'))).toBe('UNAUTHENTICATED');
  });
});

describe('password reset without enumeration, and rate limited (worker not running: jobs stay queued)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      WORKER_IN_API: 'false',
      TRUST_PROXY: 'true',
      RATE_LIMIT_AUTH_PER_ACCOUNT: '3',
      RATE_LIMIT_AUTH_PER_ADDRESS: '5',
      RATE_LIMIT_WINDOW_SECONDS: '60',
    });
  });
  afterAll(() => server?.close());

  const signUp = async (email = newEmail()) =>
    ok<Auth>(
      await server.graphql(SIGN_UP, { input: { email, password: PASSWORD, name: 'Pat' } }, from(newAddress())),
      'signUp',
    );
  const rawRequest = async (email: string, address = newAddress()) => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...from(address) },
      body: JSON.stringify({ query: sourceOf(REQUEST_RESET), variables: { input: { email } } }),
    });
    return { status: response.status, body: await response.text() };
  };
  const mailJobs = () =>
    server.pool.oneFirst(
      sql.type(
        count,
      )`SELECT count(*) AS count FROM graphile_worker.jobs WHERE task_identifier = 'sendPasswordResetEmail'`,
    );

  test('a known and an unknown email get the same bytes; only the known one gets a token and a mailing job', async () => {
    const { user } = await signUp();

    const known = await rawRequest(user.email);
    const unknown = await rawRequest('nobody-here@example.com');

    expect(unknown).toEqual(known);
    expect(known).toEqual({ status: 200, body: '{"data":{"requestPasswordReset":true}}\n' });
    expect(await mailJobs()).toBe(1);
    expect(await tokensOf(server, user.email)).toBe(1);
    expect(await server.pool.oneFirst(sql.type(count)`SELECT count(*) AS count FROM password_resets`)).toBe(1);
  });

  test('a known and an unknown email take the same time: both are answered at the response floor (250 ms)', async () => {
    const known = await Promise.all(Array.from({ length: 9 }, () => signUp()));
    const durations = { known: [] as number[], unknown: [] as number[] };
    for (const [i, { user }] of known.entries()) {
      for (const [kind, email] of [
        ['known', user.email],
        ['unknown', `nobody-${i}@example.com`],
      ] as const) {
        const started = performance.now();
        await rawRequest(email);
        durations[kind].push(performance.now() - started);
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

    // Without the floor the known path (a committed write and a job) is several milliseconds slower.
    expect(median(durations.known)).toBeGreaterThanOrEqual(250);
    expect(median(durations.unknown)).toBeGreaterThanOrEqual(250);
    expect(Math.abs(median(durations.known) - median(durations.unknown))).toBeLessThan(10);
  });

  test('per account: the 4th request for one email is RATE_LIMITED, known or not, whatever the address', async () => {
    const { user } = await signUp();
    for (const email of [user.email, 'never-registered@example.com']) {
      // The sign-up counted as the known account's first attempt, as logIn and signUp do.
      const allowed = email === user.email ? 2 : 3;
      for (let i = 0; i < allowed; i += 1)
        expect((await rawRequest(email)).body).toBe('{"data":{"requestPasswordReset":true}}\n');
      const refused = JSON.parse((await rawRequest(email)).body) as GraphQLResponse['body'];
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    }
    expect(await tokensOf(server, user.email)).toBe(1);
  });

  test('per address: the 6th resetPassword from one address is RATE_LIMITED, whatever the token', async () => {
    const address = newAddress();
    const attempt = () =>
      server.graphql(RESET, { input: { token: 'x'.repeat(43), newPassword: NEW_PASSWORD } }, from(address));

    for (let i = 0; i < 5; i += 1) expect(codeOf(await attempt())).toBe('UNAUTHENTICATED');
    expect(codeOf(await attempt())).toBe('RATE_LIMITED');
    expect(
      codeOf(
        await server.graphql(
          RESET,
          { input: { token: 'x'.repeat(43), newPassword: NEW_PASSWORD } },
          from(newAddress()),
        ),
      ),
    ).toBe('UNAUTHENTICATED');
  });
});

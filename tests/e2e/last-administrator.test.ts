/**
 * The last administrator (a user holding the built-in admin role) cannot lose it, over HTTP on real Postgres:
 * refused as BAD_USER_INPUT in the revoking transaction, and race-free when two revocations run at once.
 */
import { jest } from '@jest/globals';
import { sql } from 'slonik';
import { z } from 'zod';
import { SignUpDocument, ViewerDocument } from '../generated/graphql.ts';
import { startTestServer, TEST_ADMIN, type GraphQLResponse, type TestServer } from './support/server.ts';
import { eventually } from './support/worker-process.ts';

jest.setTimeout(60_000);

const SIGN_UP = SignUpDocument;
const VIEWER = ViewerDocument;
const GRANT = `mutation ($input: GrantRoleInput!) { grantRole(input: $input) { role { name } } }`;
const REVOKE = `mutation ($input: RevokeRoleInput!) { revokeRole(input: $input) { role { name } } }`;
const PASSWORD = 'a second administrator';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

const count = z.object({ count: z.number() });
const administrators = () =>
  server.pool.oneFirst(sql.type(count)`SELECT count(*) AS count FROM user_roles WHERE role = 'admin'`);
const errorOf = (response: GraphQLResponse) => ({
  code: response.body.errors?.[0]?.extensions?.code,
  field: response.body.errors?.[0]?.extensions?.field,
  message: response.body.errors?.[0]?.message,
});
const LAST_ADMINISTRATOR = {
  code: 'BAD_USER_INPUT',
  field: 'input.userId',
  message: expect.stringContaining('last administrator'),
};

const userIdOf = async (headers: Record<string, string>): Promise<string> =>
  (await server.graphql(VIEWER, {}, headers)).body.data!.viewer!.id;

/** Signs up a second account, makes it an administrator, and answers both administrators' ids and headers. */
const twoAdministrators = async () => {
  const first = await server.signIn(TEST_ADMIN.email, TEST_ADMIN.password);
  const signUp = await server.graphql(SIGN_UP, {
    input: { email: 'second@e2e.test', name: 'Second', password: PASSWORD },
  });
  const secondId = signUp.body.data!.signUp.user.id;
  expect(
    (await server.graphql(GRANT, { input: { userId: secondId, role: 'admin' } }, first)).body.errors,
  ).toBeUndefined();
  const second = await server.signIn('second@e2e.test', PASSWORD);
  return { first: { id: await userIdOf(first), headers: first }, second: { id: secondId, headers: second } };
};

test('the only administrator cannot take the admin role from themselves: BAD_USER_INPUT, and they keep it', async () => {
  const headers = await server.signIn(TEST_ADMIN.email, TEST_ADMIN.password);
  const userId = await userIdOf(headers);

  const response = await server.graphql(REVOKE, { input: { userId, role: 'admin' } }, headers);

  expect(errorOf(response)).toEqual(LAST_ADMINISTRATOR);
  expect(response.body.data).toBeNull();
  expect(await administrators()).toBe(1);
});

test('of two administrators, one can go; then the other is the last and stays', async () => {
  const { first, second } = await twoAdministrators();

  expect(
    (await server.graphql(REVOKE, { input: { userId: second.id, role: 'admin' } }, first.headers)).body.errors,
  ).toBeUndefined();
  const refused = await server.graphql(REVOKE, { input: { userId: first.id, role: 'admin' } }, first.headers);

  expect(errorOf(refused)).toEqual(LAST_ADMINISTRATOR);
  expect(await administrators()).toBe(1);
});

test('two administrators revoking each other at the same moment: one revocation wins, the other is refused, one administrator is left', async () => {
  const { first, second } = await twoAdministrators();
  // Both revocations get as far as deleting their grant and wait there (the test holds user_roles), so both have
  // read the holders before either commits: a check that did not lock would let both through.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const holding = server.pool.transaction(async (connection) => {
    await connection.query(sql.unsafe`LOCK TABLE user_roles IN EXCLUSIVE MODE`);
    locked();
    await released;
  });
  await isLocked;
  try {
    const revocations = Promise.all([
      server.graphql(REVOKE, { input: { userId: second.id, role: 'admin' } }, first.headers),
      server.graphql(REVOKE, { input: { userId: first.id, role: 'admin' } }, second.headers),
    ]);
    await eventually(async () => {
      const waiting = await server.pool.oneFirst(sql.type(count)`
        SELECT count(*) AS count FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`);
      return waiting === 2 ? true : undefined;
    }, 'both revocations to wait inside their transactions');
    release();
    await holding;

    const outcomes = (await revocations).map((response) => (response.body.errors ? errorOf(response) : 'revoked'));

    expect(outcomes.filter((outcome) => outcome === 'revoked')).toHaveLength(1);
    expect(outcomes.find((outcome) => outcome !== 'revoked')).toEqual(LAST_ADMINISTRATOR);
    expect(await administrators()).toBe(1);
  } finally {
    release();
    await holding;
  }
});

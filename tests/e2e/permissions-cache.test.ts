import { jest } from '@jest/globals';
/**
 * Two API processes on one database, each caching permissions in memory: a change of roles made through one is
 * heard by the other through Postgres NOTIFY, so the caller's very next request there is decided on it. The cache
 * is real (a change made behind the application's back, with no notification, is not seen) and trusts nothing
 * once its LISTEN connection is lost.
 */
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { LISTENER_APPLICATION_NAME } from '../../src/platform/database/channels.ts';
import { createDatabasePool } from '../../src/platform/database/pool.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { LogInDocument, SignUpDocument } from '../generated/graphql.ts';
import {
  graphqlOver,
  killLeftoverServers,
  spawnServer,
  type ProcessAnswer,
  type ServerProcess,
} from './support/process.ts';
import { eventually } from './support/worker-process.ts';

jest.setTimeout(90_000);

const ADMIN = { email: 'admin@cache.test', password: 'cache administrator password' };
const CLERK = { email: 'clerk@cache.test', password: 'clerk password 123', name: 'Clerk' };
const READ_PRODUCTS = [{ resource: 'PRODUCT', actions: ['READ'], selectors: ['*'] }];
const READ_PRODUCT = '{ product(sku: "LAMP") { sku } }';

let database: TestDatabase;
let pool: DatabasePool;
let a: ServerProcess;
let b: ServerProcess;
let admin: Record<string, string>;
let clerk: { id: string; headers: Record<string, string> };

const environment = () => ({
  DATABASE_URL: database.url,
  NODE_ENV: 'production',
  JWT_SECRET: 'permissions-cache-secret-'.padEnd(48, 'x'),
  // Production refuses to start without one; both instances share it, as a deployment's do.
  CURSOR_SECRET: 'permissions-cache-cursors-'.padEnd(48, 'x'),
  PUBLIC_URL: 'https://kingdom.example.com',
  KINGDOM_ADMIN_EMAIL: ADMIN.email,
  KINGDOM_ADMIN_PASSWORD: ADMIN.password,
  TRUSTED_DOCUMENTS: 'off',
});

/** The data of an answer, failing the test on any error. */
const data = async <TData>(answer: Promise<ProcessAnswer<TData>>): Promise<TData> => {
  const { body } = await answer;
  if (body.errors || !body.data) throw new Error(JSON.stringify(body));
  return body.data;
};

const signIn = async (url: string, email: string, password: string) => {
  const answer = await data(graphqlOver(url, LogInDocument, { input: { email, password } }));
  return { authorization: `Bearer ${answer.logIn.accessToken}` };
};

const asAdmin = (query: string, variables: Record<string, unknown>) =>
  data(graphqlOver(a.url, query, variables, admin));
const grant = (role: string) =>
  asAdmin('mutation ($input: GrantRoleInput!) { grantRole(input: $input) { role { name } } }', {
    input: { userId: clerk.id, role },
  });
const revoke = (role: string) =>
  asAdmin('mutation ($input: RevokeRoleInput!) { revokeRole(input: $input) { role { name } } }', {
    input: { userId: clerk.id, role },
  });
const setPolicies = (name: string, policies: unknown[]) =>
  asAdmin('mutation ($input: UpdateRolePoliciesInput!) { updateRolePolicies(input: $input) { role { name } } }', {
    input: { name, policies },
  });

const clerkUserId = () =>
  pool.oneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM users WHERE email = ${CLERK.email}`);

/** What the clerk's next request on `server` answers: the product, or null when they may not read it. */
const clerkReadsOn = async (server: ServerProcess) =>
  (await data(graphqlOver(server.url, READ_PRODUCT, undefined, clerk.headers))).product;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = await createDatabasePool(database.url, { maxPoolSize: 1 });
  // One after the other: both migrate the same database at start-up.
  a = await spawnServer(environment());
  b = await spawnServer(environment());
  admin = await signIn(a.url, ADMIN.email, ADMIN.password);
  await asAdmin('mutation ($input: CreateRoleInput!) { createRole(input: $input) { role { name } } }', {
    input: { name: 'reader', policies: READ_PRODUCTS },
  });
  await asAdmin('mutation ($input: AddBatchInput!) { addBatch(input: $input) { batch { reference } } }', {
    input: { reference: 'lamp-1', sku: 'LAMP', quantity: 5 },
  });
  const signedUp = await data(graphqlOver(a.url, SignUpDocument, { input: CLERK }));
  clerk = {
    id: signedUp.signUp.user.id,
    headers: await signIn(a.url, CLERK.email, CLERK.password),
  };
});
afterAll(async () => {
  // Every change waited for both instances to confirm it, none gave up.
  for (const server of [a, b]) expect(server?.logs.join('\n')).not.toContain('before every instance confirmed');
  for (const server of [a, b]) server?.child.kill('SIGTERM');
  await Promise.all([a?.exited, b?.exited]);
  killLeftoverServers();
  await pool?.end();
  await database?.drop();
});

test('a role revoked through one instance is denied on the next request to the other, and granted back likewise', async () => {
  // Granted behind the application's back, so no notification is on its way to either instance.
  const clerkUuid = await clerkUserId();
  await pool.query(sql.unsafe`INSERT INTO user_roles (user_id, role) VALUES (${clerkUuid}, 'reader')`);
  expect(await clerkReadsOn(b)).toEqual({ sku: 'LAMP' });

  // The other instance answers from memory: a change made behind the application's back (no notification) is not
  // seen there. (Who changes roles by hand must announce it: docs/decisions/0010.)
  await pool.query(sql.unsafe`DELETE FROM user_roles WHERE user_id = ${clerkUuid} AND role = 'reader'`);
  expect(await clerkReadsOn(b)).toEqual({ sku: 'LAMP' });
  await pool.query(sql.unsafe`INSERT INTO user_roles (user_id, role) VALUES (${clerkUuid}, 'reader')`);

  await revoke('reader');
  expect(await clerkReadsOn(b)).toBeNull();
  expect(await clerkReadsOn(a)).toBeNull();

  await grant('reader');
  expect(await clerkReadsOn(b)).toEqual({ sku: 'LAMP' });
});

test("a role's policies changed through one instance apply on the next request to the other", async () => {
  await grant('reader');
  expect(await clerkReadsOn(b)).toEqual({ sku: 'LAMP' });

  await setPolicies('reader', [{ resource: 'BATCH', actions: ['READ'], selectors: ['*'] }]);
  expect(await clerkReadsOn(b)).toBeNull();

  await setPolicies('reader', READ_PRODUCTS);
  expect(await clerkReadsOn(b)).toEqual({ sku: 'LAMP' });
});

test('an instance that loses its LISTEN connection stops trusting what it cached', async () => {
  await grant('reader');
  expect(await clerkReadsOn(b)).toEqual({ sku: 'LAMP' });
  const clerkUuid = await clerkUserId();

  // Behind the application's back again, then every instance's listening connection is cut: whatever they held
  // may have missed a notification, so it is dropped and permissions are read afresh.
  await pool.query(sql.unsafe`DELETE FROM user_roles WHERE user_id = ${clerkUuid} AND role = 'reader'`);
  await pool.query(sql.unsafe`
    SELECT pg_terminate_backend(pid) FROM pg_stat_activity
    WHERE application_name = ${LISTENER_APPLICATION_NAME} AND datname = current_database()`);

  await eventually(
    async () => ((await clerkReadsOn(b)) === null ? true : undefined),
    'the instance to stop answering from its cache',
    10_000,
  );
  await pool.query(sql.unsafe`INSERT INTO user_roles (user_id, role) VALUES (${clerkUuid}, 'reader')`);
});

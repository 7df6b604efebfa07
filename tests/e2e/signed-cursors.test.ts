/**
 * Cursors that cannot be forged, over HTTP on real Postgres: every cursor the API hands out is signed for its
 * connection field, its order and its caller (CURSOR_SECRET), so a cursor of another list, another order or another
 * caller, or one edited by hand, is BAD_USER_INPUT naming `after` or `before`, never a different page. Instances
 * sharing the key accept each other's cursors, and a rotated key keeps the old ones working.
 */
import { jest } from '@jest/globals';
import { SignUpDocument } from '../generated/graphql.ts';
import { startTestServer, TEST_CURSOR_SECRET, type GraphQLResponse, type TestServer } from './support/server.ts';

jest.setTimeout(90_000);

const PRODUCTS = `query ($first: Int, $after: String, $last: Int, $before: String, $orderBy: ProductOrder) {
  products(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {
    edges { cursor node { sku } }
    pageInfo { startCursor endCursor }
  }
}`;
const USERS = '{ users(first: 1) { pageInfo { endCursor } } }';
const ADD_BATCH = 'mutation ($input: AddBatchInput!) { addBatch(input: $input) { batch { reference } } }';
const CREATE_ROLE = 'mutation ($input: CreateRoleInput!) { createRole(input: $input) { role { name } } }';
const GRANT = 'mutation ($input: GrantRoleInput!) { grantRole(input: $input) { role { name } } }';
const SKUS = ['CURSOR-A', 'CURSOR-B', 'CURSOR-C', 'CURSOR-D'];
const BY_CREATION = { field: 'CREATED_AT', direction: 'ASC' };

type Page = {
  edges: Array<{ cursor: string; node: { sku: string } }>;
  pageInfo: { startCursor: string; endCursor: string };
};
const pageOf = (response: GraphQLResponse): Page => {
  expect(response.body.errors).toBeUndefined();
  return response.body.data?.products as Page;
};
const refusal = (response: GraphQLResponse) => ({
  data: response.body.data,
  code: response.body.errors?.[0]?.extensions?.code,
  field: response.body.errors?.[0]?.extensions?.field,
});
const refused = (field: 'after' | 'before') => ({ data: null, code: 'BAD_USER_INPUT', field });

/** The page after `cursor`, as the administrator, by SKU unless told otherwise. */
const after = (server: TestServer, cursor: string, variables: Record<string, unknown> = {}) =>
  server.admin(PRODUCTS, { first: 2, after: cursor, ...variables });

const stocked = async (environment: Record<string, string> = {}): Promise<TestServer> => {
  const server = await startTestServer(environment);
  for (const [index, sku] of SKUS.entries()) {
    const added = await server.admin(ADD_BATCH, { input: { reference: `cursor-batch-${index}`, sku, quantity: 5 } });
    expect(added.body.errors).toBeUndefined();
  }
  return server;
};

describe('cursors handed out by one server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await stocked();
  });
  afterAll(() => server.close());

  test('page on as before: the next page follows the last cursor, the previous page precedes the first', async () => {
    const first = pageOf(await server.admin(PRODUCTS, { first: 2 }));
    const second = pageOf(await after(server, first.pageInfo.endCursor));
    const back = pageOf(await server.admin(PRODUCTS, { last: 2, before: second.pageInfo.startCursor }));

    expect(first.edges.map((edge) => edge.node.sku)).toEqual(SKUS.slice(0, 2));
    expect(second.edges.map((edge) => edge.node.sku)).toEqual(SKUS.slice(2, 4));
    expect(back.edges.map((edge) => edge.node.sku)).toEqual(SKUS.slice(0, 2));
  });

  test('a cursor from users, used on products, is BAD_USER_INPUT', async () => {
    const usersCursor = server.admin(USERS).then((response) => (response.body.data?.users as Page).pageInfo.endCursor);

    expect(refusal(await after(server, await usersCursor))).toEqual(refused('after'));
    expect(refusal(await server.admin(PRODUCTS, { last: 1, before: await usersCursor }))).toEqual(refused('before'));
  });

  test('a cursor from another orderBy is BAD_USER_INPUT', async () => {
    const bySku = pageOf(await server.admin(PRODUCTS, { first: 1 })).pageInfo.endCursor;

    expect(refusal(await after(server, bySku, { orderBy: BY_CREATION }))).toEqual(refused('after'));
    expect(refusal(await after(server, bySku, { orderBy: { field: 'SKU', direction: 'DESC' } }))).toEqual(
      refused('after'),
    );
  });

  test('a cursor with a flipped byte is BAD_USER_INPUT, wherever the byte is', async () => {
    const cursor = pageOf(await server.admin(PRODUCTS, { first: 1 })).pageInfo.endCursor;
    const flipped = [0, Math.floor(cursor.length / 2), cursor.length - 1].map((at) => {
      const bytes = Buffer.from(cursor, 'latin1');
      bytes[at] = bytes[at]! ^ 0x01;
      return bytes.toString('latin1');
    });

    for (const forged of flipped) expect(refusal(await after(server, forged))).toEqual(refused('after'));
  });

  test('a cursor edited by hand to point elsewhere in the list is BAD_USER_INPUT, never the page after that point', async () => {
    const cursor = pageOf(await server.admin(PRODUCTS, { first: 1 })).pageInfo.endCursor;
    // The position inside the cursor, moved from the first product to the third, and put back as it was.
    const [inner = '', ...signature] = cursor.split('.');
    const position = JSON.parse(Buffer.from(inner, 'base64url').toString('utf8')) as { c: string; k: string[] };
    const moved = Buffer.from(JSON.stringify({ ...position, k: [SKUS[2], SKUS[2]] })).toString('base64url');
    const edited = [moved, ...signature].join('.');

    expect(position.k).toEqual([SKUS[0], SKUS[0]]);
    expect(refusal(await after(server, edited))).toEqual(refused('after'));
  });

  test('a cursor handed to another caller is BAD_USER_INPUT for anyone else', async () => {
    const reader = { email: 'cursor-reader@example.com', password: 'a reader password', name: 'Reader' };
    const signedUp = await server.graphql(SignUpDocument, { input: reader });
    const readerId = signedUp.body.data!.signUp.user.id;
    const readEverything = [{ resource: 'PRODUCT', actions: ['READ'], selectors: ['*'] }];
    expect(
      (await server.admin(CREATE_ROLE, { input: { name: 'reader', policies: readEverything } })).body.errors,
    ).toBeUndefined();
    expect((await server.admin(GRANT, { input: { userId: readerId, role: 'reader' } })).body.errors).toBeUndefined();
    const headers = await server.signIn(reader.email, reader.password);
    const readersCursor = pageOf(await server.graphql(PRODUCTS, { first: 1 }, headers)).pageInfo.endCursor;

    expect(pageOf(await server.graphql(PRODUCTS, { first: 1, after: readersCursor }, headers)).edges).toHaveLength(1);
    expect(refusal(await after(server, readersCursor))).toEqual(refused('after'));
  });
});

describe('cursors across instances and key rotation', () => {
  test('an instance with the same CURSOR_SECRET accepts them; after a rotation the old key’s still work, until it is dropped', async () => {
    const original = await stocked();
    const cursor = pageOf(await original.admin(PRODUCTS, { first: 1 })).pageInfo.endCursor;
    // More instances on the same database (and so for the same administrator, whom the cursor is bound to).
    const on = (environment: Record<string, string> = {}) =>
      startTestServer(environment, { database: original.database });
    const NEW_SECRET = 'a-brand-new-cursor-secret-for-the-rotation-0123';
    const servers = {
      sameKey: await on(),
      rotated: await on({
        CURSOR_SECRET: NEW_SECRET,
        CURSOR_KEY_ID: 'c2',
        CURSOR_PREVIOUS_KEYS: JSON.stringify({ c1: TEST_CURSOR_SECRET }),
      }),
      dropped: await on({ CURSOR_SECRET: NEW_SECRET, CURSOR_KEY_ID: 'c2' }),
    };
    try {
      expect(pageOf(await after(servers.sameKey, cursor)).edges.map((edge) => edge.node.sku)).toEqual(SKUS.slice(1, 3));
      expect(pageOf(await after(servers.rotated, cursor)).edges.map((edge) => edge.node.sku)).toEqual(SKUS.slice(1, 3));
      expect(pageOf(await servers.rotated.admin(PRODUCTS, { first: 1 })).pageInfo.endCursor).toMatch(/\.c2\./);
      expect(refusal(await after(servers.dropped, cursor))).toEqual(refused('after'));
    } finally {
      await Promise.all(Object.values(servers).map((server) => server.close()));
      await original.close();
    }
  });
});

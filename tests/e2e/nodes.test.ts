/**
 * Global Object Identification over HTTP on real Postgres: every Node type (Product, Batch, User) is fetched
 * again by its id through `node` and `nodes`; ids are opaque; an id that is malformed or names nothing is null,
 * never an error (clients store ids and replay them).
 */
import { randomUUID } from 'node:crypto';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { createDatabasePool } from '../../src/platform/database/pool.ts';
import { AddBatchDocument, NodeDocument, NodesDocument, SignUpDocument } from '../generated/graphql.ts';
import { graphql } from '../generated/index.ts';
import { startTestServer, type GraphQLResponse, type TestServer } from './support/server.ts';

const NODE = NodeDocument;
const NODES = NodesDocument;
const ADD_BATCH = AddBatchDocument;
const SIGN_UP = SignUpDocument;

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** What `node` answers for each object, as Node.graphql selects it. */
type Fetched = { product: Record<string, unknown>; batch: Record<string, unknown>; user: Record<string, unknown> };

describe('node and nodes over HTTP on real Postgres', () => {
  let server: TestServer;
  let pool: DatabasePool;
  const ids = { product: '', batch: '', user: '' };
  let uuid = '';
  let expected: Fetched;

  const ok = <TData>(response: GraphQLResponse<TData>): TData => {
    if (response.status !== 200 || response.body.errors || !response.body.data) {
      throw new Error(JSON.stringify(response.body));
    }
    return response.body.data;
  };

  beforeAll(async () => {
    server = await startTestServer();
    pool = await createDatabasePool(server.database.url, { maxPoolSize: 1 });

    ok(await server.admin(ADD_BATCH, { input: { reference: 'NODE-B1', sku: 'NODE-P1', quantity: 7 } }));
    const read = ok(
      await server.admin(
        graphql(`
          query NodesProductIds {
            product(sku: "NODE-P1") {
              id
              batches {
                edges {
                  node {
                    id
                  }
                }
              }
            }
          }
        `),
      ),
    );
    const product = read.product!;
    ids.product = product.id;
    ids.batch = product.batches.edges[0]!.node.id;

    const input = { email: 'node-person@example.com', password: 'correct horse battery', name: 'Noa' };
    const signedUp = ok(await server.admin(SIGN_UP, { input })).signUp;
    ids.user = signedUp.user.id;
    uuid = await pool.oneFirst(
      sql.type(z.object({ id: z.string() }))`SELECT id FROM users WHERE email = ${input.email}`,
    );

    expected = {
      product: { __typename: 'Product', id: ids.product, sku: 'NODE-P1', description: '' },
      batch: { __typename: 'Batch', id: ids.batch, reference: 'NODE-B1', sku: 'NODE-P1', purchasedQuantity: 7 },
      user: { __typename: 'User', id: ids.user, email: input.email, name: 'Noa' },
    };
  });
  afterAll(async () => {
    await pool?.end();
    await server?.close();
  });

  test.each(['product', 'batch', 'user'] as const)('node(id:) of a %s returns that very object', async (kind) => {
    expect(await server.admin(NODE, { id: ids[kind] })).toEqual({
      status: 200,
      body: { data: { node: expected[kind] } },
    });
  });

  test('ids are opaque: not the SKU, the batch reference or the user uuid, nor containing them', () => {
    const pairs = [
      [ids.product, 'NODE-P1'],
      [ids.batch, 'NODE-B1'],
      [ids.user, uuid],
    ] as const;
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
    for (const [id, key] of pairs) {
      expect(id).not.toBe(key);
      expect(id).not.toContain(key);
    }
    expect(new Set(Object.values(ids)).size).toBe(3);
  });

  test('nodes(ids:) answers in the order asked, null for an unknown id, and repeats for a repeated one', async () => {
    const unknown = base64(`Product:NO-SUCH-SKU`);
    const response = await server.admin(NODES, { ids: [ids.user, unknown, ids.batch, ids.product, ids.user] });

    // Nodes.graphql selects less than Node.graphql: the SKU of a product, the reference of a batch, a user's email.
    const product = { __typename: 'Product', id: ids.product, sku: 'NODE-P1' };
    const batch = { __typename: 'Batch', id: ids.batch, reference: 'NODE-B1' };
    const user = { __typename: 'User', id: ids.user, email: expected.user.email };
    expect(response).toEqual({ status: 200, body: { data: { nodes: [user, null, batch, product, user] } } });
  });

  const malformed: Array<[string, string]> = [
    ['not base64 of anything', 'nope'],
    ['empty', ''],
    ['an unknown type', base64('Unknown:1')],
    ['a type with an empty key', base64('Product:')],
    ['no colon at all', base64('Product')],
    ['a product nobody stocks', base64('Product:NO-SUCH-SKU')],
    ['a batch nobody has', base64('Batch:NO-SUCH-BATCH')],
    ['a user key that is no uuid', base64('User:not-a-uuid')],
    ['a uuid nobody has', base64(`User:${randomUUID()}`)],
    ['an Object.prototype name as the type', base64('__proto__:x')],
    ['the type in another case', base64('product:NODE-P1')],
    ['a real key under another type', base64('Batch:NODE-P1')],
  ];

  test.each(malformed)('node(id:) with %s is null, without an error', async (_case, id) => {
    expect(await server.admin(NODE, { id })).toEqual({ status: 200, body: { data: { node: null } } });
  });

  test('nodes(ids:) with every malformed id is all nulls, without an error, and still finds the good one', async () => {
    const response = await server.admin(NODES, { ids: [...malformed.map(([, id]) => id), ids.product] });

    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.nodes).toEqual([
      ...malformed.map(() => null),
      { __typename: 'Product', id: ids.product, sku: 'NODE-P1' },
    ]);
  });

  // Postgres refuses a NUL in text; such a key names nothing, so the answer is null, not a 500.
  test.each([
    ['Product', base64('Product:NODE-P1\u0000')],
    ['Batch', base64('Batch:NODE-B1\u0000')],
  ])('node(id:) of a %s whose key holds a NUL character is null, without an error', async (_type, id) => {
    expect(await server.admin(NODE, { id })).toEqual({ status: 200, body: { data: { node: null } } });
  });
});

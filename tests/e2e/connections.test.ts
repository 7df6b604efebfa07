/**
 * `Query.products` against the Relay Cursor Connections spec over HTTP on real Postgres: the same conformance
 * walker as the pg-mem integration test (tests/support/relay-conformance.ts), the Products.graphql a client sends.
 * Products come both through addBatch (creation time from Postgres' clock) and by SQL with chosen, shared
 * creation times, so the SKU tie-breaker decides within a time. The expected order is computed from the stored
 * rows at microsecond precision, not from what the API says.
 */
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { createDatabasePool } from '../../src/platform/database/pool.ts';
import {
  expectEmptyConnection,
  expectRelayConformance,
  expectStableWhileInserting,
  walk,
  type PageArgs,
  type Pager,
} from '../support/relay-conformance.ts';
import { graphql } from '../generated/index.ts';
import { AddBatchDocument, ProductsDocument } from '../generated/graphql.ts';
import { startTestServer, type GraphQLResponse, type TestServer } from './support/server.ts';

const PRODUCTS = ProductsDocument;
const FIRST_BATCH_CURSOR = graphql(`
  query ConnectionsFirstBatchCursorOf($sku: String!) {
    product(sku: $sku) {
      batches(first: 1) {
        edges {
          cursor
        }
      }
    }
  }
`);
const BATCHES_PAGE = graphql(`
  query ConnectionsBatchesPage($first: Int, $after: String, $last: Int, $before: String) {
    product(sku: "MS-P") {
      batches(first: $first, after: $after, last: $last, before: $before) {
        totalCount
        pageInfo {
          hasNextPage
          hasPreviousPage
          startCursor
          endCursor
        }
        edges {
          cursor
          node {
            sku: reference
          }
        }
      }
    }
  }
`);
const ADD_BATCH = AddBatchDocument;

type Order = { readonly field: 'SKU' | 'CREATED_AT'; readonly direction: 'ASC' | 'DESC' };
const ORDERS: readonly Order[] = [
  { field: 'SKU', direction: 'ASC' },
  { field: 'SKU', direction: 'DESC' },
  { field: 'CREATED_AT', direction: 'ASC' },
  { field: 'CREATED_AT', direction: 'DESC' },
];
const [SKU_ASC, , CREATED_AT_ASC] = ORDERS as [Order, Order, Order, Order];

/** SKUs are upper-case letters and digits of one width, so JS and any Postgres collation sort them alike. */
const sku = (index: number) => `P${String(index).padStart(2, '0')}`;
/** Products 1, 3, ..., 19 are inserted by SQL with one of three creation times, each shared by three or four. */
const SHARED_TIMES = ['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.001Z', '2025-12-31T23:59:59.999Z'];
const bySql = (index: number) => index % 2 === 1 && index < 20;
const SEEDED = 23;

const storedRow = z.object({ sku: z.string(), micros: z.number() });

describe('products connections over HTTP on real Postgres', () => {
  let server: TestServer;
  let pool: DatabasePool;

  beforeAll(async () => {
    server = await startTestServer();
    pool = await createDatabasePool(server.database.url, { maxPoolSize: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await server?.close();
  });

  const products = async (variables: Record<string, unknown>): Promise<GraphQLResponse> =>
    server.admin(PRODUCTS, variables);

  const pagerFor =
    (orderBy: Order): Pager =>
    async (args: PageArgs) => {
      const { status, body } = await server.admin(PRODUCTS, { ...args, orderBy });
      if (status !== 200 || body.errors || !body.data)
        throw new Error(`products(${JSON.stringify(args)}): ${status} ${JSON.stringify(body)}`);
      return body.data.products;
    };

  /** The order the list must have, from the stored rows: the key, then the SKU, DESC the exact reverse. */
  const expectedOrder = async ({ field, direction }: Order): Promise<string[]> => {
    const rows = await pool.any(sql.type(storedRow)`
      SELECT sku, (extract(epoch FROM created_at) * 1000000)::int8 AS micros FROM products`);
    const ascending = [...rows]
      .sort((a, b) => (field === 'CREATED_AT' ? a.micros - b.micros : 0) || (a.sku < b.sku ? -1 : 1))
      .map((row) => row.sku);
    return direction === 'ASC' ? ascending : ascending.reverse();
  };

  const insertProduct = (productSku: string, createdAt: string) =>
    pool.query(sql.unsafe`
      INSERT INTO products (sku, description, version, created_at) VALUES (${productSku}, '', 1, ${createdAt}::timestamptz)`);

  // Runs first (jest runs a file's tests in order): the database is still empty.
  test.each(ORDERS)(
    'a fresh database: $field $direction is an empty connection, both flags false, null cursors',
    async (orderBy) => {
      await expectEmptyConnection(pagerFor(orderBy));
    },
  );

  describe('over 23 products', () => {
    beforeAll(async () => {
      // SQL rows inserted in descending SKU order, so that storage order is no order the API offers.
      for (let index = SEEDED - 1; index >= 0; index--) {
        if (bySql(index)) await insertProduct(sku(index), SHARED_TIMES[index % 3]!);
      }
      for (let index = 0; index < SEEDED; index++) {
        if (bySql(index)) continue;
        const { body } = await server.admin(ADD_BATCH, {
          input: { reference: `${sku(index)}-b1`, sku: sku(index), quantity: 5 },
        });
        if (body.errors) throw new Error(JSON.stringify(body.errors));
      }
    });

    test('the seed makes the tie-breaker matter: several products share a creation time', async () => {
      const shared = await pool.anyFirst(sql.type(z.object({ n: z.number() }))`
        SELECT count(*)::int8 AS n FROM products GROUP BY created_at HAVING count(*) > 1`);
      expect(shared.length).toBeGreaterThanOrEqual(3);
      expect(await expectedOrder(CREATED_AT_ASC)).not.toEqual(await expectedOrder(SKU_ASC));
      expect(await expectedOrder(SKU_ASC)).toHaveLength(SEEDED);
    });

    test.each(ORDERS)(
      '$field $direction conforms to the Relay spec: walks by 1, 5, 23 and 100 both ways, first+last, after+before',
      async (orderBy) => {
        await expectRelayConformance(pagerFor(orderBy), await expectedOrder(orderBy));
      },
    );

    describe('arguments', () => {
      const codeAndField = ({ status, body }: GraphQLResponse) => ({
        status,
        data: body.data ?? null,
        errors: body.errors?.map((error) => ({ path: error.path, ...error.extensions })),
      });
      const refused = (field: string) => ({
        status: 200,
        data: null,
        errors: [{ path: ['products'], code: 'BAD_USER_INPUT', field }],
      });
      const forged = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

      test.each([
        ['first: -1', { first: -1 }, 'first'],
        ['last: -1', { last: -1 }, 'last'],
        ['first: 101', { first: 101 }, 'first'],
        ['last: 101', { last: 101 }, 'last'],
        ['first: 101 with last: 5', { first: 101, last: 5 }, 'first'],
      ])('%s is BAD_USER_INPUT naming the field, not silently clamped', async (_case, args, field) => {
        expect(codeAndField(await products(args))).toEqual(refused(field));
      });

      test('without first or last the page holds the first 20, and says more follow', async () => {
        const page = await pagerFor(SKU_ASC)({});

        expect(page.edges.map((edge) => edge.node.sku)).toEqual((await expectedOrder(SKU_ASC)).slice(0, 20));
        expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
        expect(page.totalCount).toBeGreaterThan(20);
      });

      test('a garbage, a foreign (Product.batches), an other-order and a forged cursor are BAD_USER_INPUT', async () => {
        const product = await server.admin(FIRST_BATCH_CURSOR, { sku: sku(0) });
        const batchCursor = product.body.data?.product?.batches.edges[0]?.cursor;
        const skuCursor = (await pagerFor(SKU_ASC)({ first: 1 })).pageInfo.endCursor;
        const createdAtCursor = (await pagerFor(CREATED_AT_ASC)({ first: 1 })).pageInfo.endCursor;
        expect([batchCursor, skuCursor, createdAtCursor]).toEqual([
          expect.any(String),
          expect.any(String),
          expect.any(String),
        ]);

        const cases: Array<[string, Record<string, unknown>, string]> = [
          ['garbage', { after: 'garbage!' }, 'after'],
          ['base64 of no JSON', { after: Buffer.from('hello').toString('base64url') }, 'after'],
          ['garbage as before', { last: 5, before: 'not-a-cursor' }, 'before'],
          ['a Product.batches cursor', { after: batchCursor }, 'after'],
          ['a Product.batches cursor as before', { last: 5, before: batchCursor }, 'before'],
          ['a SKU ASC cursor with CREATED_AT ASC', { after: skuCursor, orderBy: CREATED_AT_ASC }, 'after'],
          ['a CREATED_AT ASC cursor with SKU ASC', { after: createdAtCursor, orderBy: SKU_ASC }, 'after'],
          [
            'a SKU ASC cursor with SKU DESC',
            { after: skuCursor, orderBy: { field: 'SKU', direction: 'DESC' } },
            'after',
          ],
          [
            'a forged "not a date" CREATED_AT cursor',
            { after: forged({ c: 'products:CREATED_AT:ASC', k: ['not a date', 'x'] }), orderBy: CREATED_AT_ASC },
            'after',
          ],
          [
            'a forged CREATED_AT cursor with a number for the date',
            { after: forged({ c: 'products:CREATED_AT:ASC', k: [12345, 'x'] }), orderBy: CREATED_AT_ASC },
            'after',
          ],
          ['a forged null key', { after: forged({ c: 'products:SKU:ASC', k: [null, 'x'] }) }, 'after'],
          [
            'a forged key of the wrong length',
            { after: forged({ c: 'products:SKU:ASC', k: ['P01', 'P01', 'P01'] }) },
            'after',
          ],
          ['a forged key holding an object', { after: forged({ c: 'products:SKU:ASC', k: [{}, 'x'] }) }, 'after'],
        ];
        for (const [name, variables, field] of cases) {
          expect({ name, ...codeAndField(await products(variables)) }).toEqual({ name, ...refused(field) });
        }
      });
      // Forged cursors that once reached Postgres and came back as 500s.
      test.each([
        ['"1", which Date.parse reads as 2001', '1'],
        ['"2026-02-30T00:00:00.000Z", which Date.parse rolls over into March', '2026-02-30T00:00:00.000Z'],
        ['"+275760-09-13T00:00:00.000Z", an expanded year', '+275760-09-13T00:00:00.000Z'],
      ])('a forged CREATED_AT cursor holding %s is BAD_USER_INPUT, not INTERNAL_SERVER_ERROR', async (_case, date) => {
        const after = forged({ c: 'products:CREATED_AT:ASC', k: [date, sku(0)] });
        expect(codeAndField(await products({ after, orderBy: CREATED_AT_ASC }))).toEqual(refused('after'));
      });

      test.each([
        ['the sort key', ['P01\u0000', 'P01']],
        ['the tie-breaker', ['2026-01-01T00:00:00.000Z', 'P01\u0000']],
      ])(
        'a forged cursor with a NUL character in %s is BAD_USER_INPUT, not INTERNAL_SERVER_ERROR',
        async (_case, key) => {
          const orderBy = key[0]!.startsWith('P') ? SKU_ASC : CREATED_AT_ASC;
          const after = forged({ c: `products:${orderBy.field}:ASC`, k: key });
          expect(codeAndField(await products({ after, orderBy }))).toEqual(refused('after'));
        },
      );

      test('a forged CREATED_AT `before` cursor is refused naming the field before, not after', async () => {
        const before = forged({ c: 'products:CREATED_AT:ASC', k: ['not a date', 'x'] });
        expect(codeAndField(await products({ last: 2, before, orderBy: CREATED_AT_ASC }))).toEqual(refused('before'));
      });
    });

    // Last: these add rows (the tests above read the 23 seeded ones).
    describe.each(ORDERS)('$field $direction while rows are inserted between pages', (orderBy) => {
      test.each(['forward', 'backward'] as const)(
        'paging %s never repeats nor skips a pre-existing row',
        async (way) => {
          const existing = await expectedOrder(orderBy);
          let round = 0;
          // One row sorting before every other and one after, in every order: whichever way the walk goes, one lands
          // behind its cursor (an OFFSET page would show a row again) and one ahead (it must show up, in its place).
          const insertAround = async () => {
            round += 1;
            const tag = `${orderBy.field === 'SKU' ? 'S' : 'C'}${orderBy.direction[0]}${way[0]!.toUpperCase()}${String(round).padStart(2, '0')}`;
            const added = [`A${tag}`, `Z${tag}`];
            await insertProduct(added[0]!, '2020-01-01T00:00:00.000Z');
            await insertProduct(added[1]!, '2030-01-01T00:00:00.000Z');
            return added;
          };

          const { seen } = await expectStableWhileInserting(pagerFor(orderBy), existing, 5, way, insertAround);

          const now = await expectedOrder(orderBy);
          expect(seen.length).toBeGreaterThan(existing.length);
          expect(now.filter((item) => seen.includes(item))).toEqual(seen);
        },
      );
    });
  });

  // Cursors keep milliseconds; two batches created in the same millisecond (explicit microsecond times here) tie on
  // the key and must still both be shown, ordered by reference.
  test('Product.batches paged one at a time shows every batch when two share a millisecond', async () => {
    await insertProduct('MS-P', '2026-01-01T00:00:00.000Z');
    await pool.query(sql.unsafe`
      INSERT INTO batches (reference, sku, purchased_quantity, created_at) VALUES
        ('MS-ZZ', 'MS-P', 1, '2026-01-01 00:00:00.000100+00'), ('MS-AA', 'MS-P', 1, '2026-01-01 00:00:00.000500+00')`);
    const batchPager: Pager = async (args) => {
      const { body } = await server.admin(BATCHES_PAGE, { ...args });
      const page = body.data?.product?.batches;
      if (!page) throw new Error(`no batches page: ${JSON.stringify(body.errors)}`);
      return page;
    };

    expect((await walk(batchPager, 1, 'forward', { totalCount: 2 })).skus).toEqual(['MS-AA', 'MS-ZZ']);
  });
});

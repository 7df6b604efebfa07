/**
 * `Query.products` against the Relay Cursor Connections spec, in process over pg-mem: the real schema, Apollo and
 * bootstrap, the production slonik adapters, the same Products.graphql a client sends in the e2e suite. Rows are
 * seeded by SQL so creation times can be chosen: several products share one, so the SKU tie-breaker decides.
 */
import type { ApolloServer } from '@apollo/server';
import { sql } from 'slonik';
import { bootstrap, type Application } from '../../../src/bootstrap.ts';
import type { ProductOrder } from '../../../src/inventory/services/views.ts';
import { createApolloServer } from '../../../src/platform/graphql/apollo.ts';
import type { GraphQLContext } from '../../../src/contexts.ts';
import { buildApplicationSchema } from '../../../src/schema.ts';
import { ProductsDocument } from '../../generated/graphql.ts';
import { graphql } from '../../generated/index.ts';
import { createRecordingLogger, executeOperation, type GraphQLResult } from '../../support/graphql.ts';
import type { Operation, Untyped } from '../../support/operation.ts';
import { requestContext } from '../../support/request-context.ts';
import { createPgMemDatabase, type PgMemDatabase } from '../../support/pg-mem.ts';
import {
  expectEmptyConnection,
  expectRelayConformance,
  expectStableWhileInserting,
  type PageArgs,
  type Pager,
} from '../../support/relay-conformance.ts';

const PRODUCTS = ProductsDocument;

let apollo: ApolloServer<GraphQLContext>;
let database: PgMemDatabase;
let app: Application;

beforeAll(() => {
  apollo = createApolloServer({ schema: buildApplicationSchema(), isDevelopment: false });
});
afterAll(async () => apollo.stop());

beforeEach(async () => {
  database = await createPgMemDatabase();
  app = bootstrap({ logger: createRecordingLogger(), pool: database.pool });
});
afterEach(async () => database.end());

/** Every operation is its own request, with its own views, as over HTTP; an admin's, who may read every product. */
const execute = <TData = Untyped, TVariables = Record<string, unknown>>(
  query: Operation<TData, TVariables>,
  variables?: NoInfer<TVariables>,
): Promise<GraphQLResult<TData>> => executeOperation(apollo, requestContext(app), query, variables);

const pagerFor =
  (orderBy: ProductOrder): Pager =>
  async (args: PageArgs) => {
    const result = await execute(PRODUCTS, { ...args, orderBy });
    if (result.errors || !result.data)
      throw new Error(`products(${JSON.stringify(args)}) failed: ${JSON.stringify(result)}`);
    return result.data.products;
  };

type Seeded = { readonly sku: string; readonly createdAt: string };

const insertProducts = async (rows: readonly Seeded[]): Promise<void> => {
  for (const { sku, createdAt } of rows) {
    await database.pool.query(sql.unsafe`
      INSERT INTO products (sku, description, version, created_at) VALUES (${sku}, '', 1, ${createdAt}::timestamptz)`);
  }
};

/**
 * 23 products, SKUs P00..P22 inserted out of order, over 11 creation times: every time is shared by two or three
 * products, and creation order is not SKU order.
 */
const SEED: readonly Seeded[] = Array.from({ length: 23 }, (_, i) => (i * 10) % 23).map((i) => ({
  sku: `P${String(i).padStart(2, '0')}`,
  createdAt: new Date(Date.UTC(2026, 2, 1) + ((i * 7) % 11) * 1000).toISOString(),
}));

/** The oracle: the seeded rows sorted in JS, SKU breaking creation-time ties, DESC the exact reverse of ASC. */
const inOrder = (rows: readonly Seeded[], { field, direction }: ProductOrder): string[] => {
  const ascending = [...rows]
    .sort((a, b) => (field === 'CREATED_AT' ? a.createdAt.localeCompare(b.createdAt) : 0) || (a.sku < b.sku ? -1 : 1))
    .map((row) => row.sku);
  return direction === 'ASC' ? ascending : ascending.reverse();
};

const ORDERS: readonly ProductOrder[] = [
  { field: 'SKU', direction: 'ASC' },
  { field: 'SKU', direction: 'DESC' },
  { field: 'CREATED_AT', direction: 'ASC' },
  { field: 'CREATED_AT', direction: 'DESC' },
];

it('the seed makes the tie-breaker matter: creation times are shared, and their order is not the SKU order', () => {
  const perTime = Object.groupBy(SEED, (row) => row.createdAt);
  expect(Object.values(perTime).every((rows) => (rows?.length ?? 0) >= 2)).toBe(true);
  expect(inOrder(SEED, ORDERS[2]!)).not.toEqual(inOrder(SEED, ORDERS[0]!));
});

describe.each(ORDERS)('products ordered by $field $direction on pg-mem', (orderBy) => {
  const page = pagerFor(orderBy);

  it('on an empty database is an empty connection: no edges, both flags false, null cursors', async () => {
    await expectEmptyConnection(page);
  });

  it('over 23 products conforms to the Relay spec: walks by 1, 5, 23 and 100 both ways, first+last, after+before', async () => {
    await insertProducts(SEED);

    await expectRelayConformance(page, inOrder(SEED, orderBy));
  });

  it.each(['forward', 'backward'] as const)(
    'paging %s while rows are inserted between pages never repeats or skips a pre-existing row',
    async (way) => {
      await insertProducts(SEED);
      const added: Seeded[] = [];
      // One row sorting before every other in each order and one after: whichever way the walk goes, one lands
      // behind its cursor (an OFFSET page would then show a row again) and one ahead (it must show up).
      const insertAround = async () => {
        const round = String(added.length / 2 + 1).padStart(2, '0');
        const rows = [
          { sku: `A${round}`, createdAt: '2026-01-01T00:00:00.000Z' },
          { sku: `Z${round}`, createdAt: '2026-06-01T00:00:00.000Z' },
        ];
        await insertProducts(rows);
        added.push(...rows);
        return rows.map((row) => row.sku);
      };

      const { seen } = await expectStableWhileInserting(page, inOrder(SEED, orderBy), 5, way, insertAround);

      // The rows inserted ahead of the cursor do show up, in their place.
      const all = inOrder([...SEED, ...added], orderBy);
      expect(seen.length).toBeGreaterThan(SEED.length);
      expect(all.filter((sku) => seen.includes(sku))).toEqual(seen);
    },
  );
});

describe('products paging arguments on pg-mem', () => {
  const codeAndField = (result: GraphQLResult) => ({
    data: result.data ?? null,
    errors: result.errors?.map((error) => ({ path: error.path, ...error.extensions })),
  });
  const refused = (field: string) => ({
    data: null,
    errors: [{ path: ['products'], code: 'BAD_USER_INPUT', field }],
  });
  const forged = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

  beforeEach(() => insertProducts(SEED));

  it.each([
    ['first: -1', { first: -1 }, 'first'],
    ['last: -1', { last: -1 }, 'last'],
    ['first: 101', { first: 101 }, 'first'],
    ['last: 101', { last: 101 }, 'last'],
  ])('%s is BAD_USER_INPUT naming the field (no silent clamp)', async (_case, args, field) => {
    expect(codeAndField(await execute(PRODUCTS, args))).toEqual(refused(field));
  });

  it('first: 100 and last: 100 are allowed, the largest page', async () => {
    for (const args of [{ first: 100 }, { last: 100 }]) {
      expect((await pagerFor(ORDERS[0]!)(args)).edges).toHaveLength(23);
    }
  });

  it('without first or last answers the first 20, with more to come', async () => {
    const answer = await pagerFor(ORDERS[0]!)({});

    expect(answer.edges.map((edge) => edge.node.sku)).toEqual(inOrder(SEED, ORDERS[0]!).slice(0, 20));
    expect(answer.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it('refuses a garbage, a foreign (Product.batches), an other-order and a forged cursor as BAD_USER_INPUT', async () => {
    await database.pool.query(sql.unsafe`
      INSERT INTO batches (reference, sku, purchased_quantity) VALUES ('b-1', 'P00', 5)`);
    const batches = await execute(
      graphql(`
        query ConnectionsFirstBatchCursor {
          product(sku: "P00") {
            batches(first: 1) {
              edges {
                cursor
              }
            }
          }
        }
      `),
    );
    const batchCursor = batches.data?.product?.batches.edges[0]?.cursor;
    const skuCursor = (await pagerFor(ORDERS[0]!)({ first: 1 })).pageInfo.endCursor;
    expect([batchCursor, skuCursor]).toEqual([expect.any(String), expect.any(String)]);

    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['garbage', { after: 'garbage!' }, 'after'],
      ['garbage as before', { last: 5, before: 'not-a-cursor' }, 'before'],
      ['a Product.batches cursor', { after: batchCursor }, 'after'],
      [
        'a SKU ASC cursor with CREATED_AT',
        { after: skuCursor, orderBy: { field: 'CREATED_AT', direction: 'ASC' } },
        'after',
      ],
      ['a SKU ASC cursor with SKU DESC', { after: skuCursor, orderBy: { field: 'SKU', direction: 'DESC' } }, 'after'],
      [
        'a forged "not a date"',
        { after: forged({ c: 'products:CREATED_AT:ASC', k: ['not a date', 'x'] }), orderBy: ORDERS[2] },
        'after',
      ],
      ['a forged null key', { after: forged({ c: 'products:SKU:ASC', k: [null, 'x'] }) }, 'after'],
      ['a forged short key', { after: forged({ c: 'products:SKU:ASC', k: ['P01'] }) }, 'after'],
    ];
    for (const [name, variables, field] of cases) {
      expect({ name, ...codeAndField(await execute(PRODUCTS, variables)) }).toEqual({ name, ...refused(field) });
    }
  });
});

/**
 * The N+1 guard, on real Postgres (the planned statement aggregates JSON, which pg-mem cannot run): a page of
 * products with their batches is one SQL statement once the caller's permissions are known, however many products
 * are on it, scoped in that statement to what the caller may read. And it answers exactly what the per-field path
 * answers (a product looked up alone, its batches through the view's loader), page arguments and scopes included.
 * Counted by the production statement counter (an interceptor of the pool) around one in-process request. The
 * schema signs its cursors as production's does, so the planned pages' cursors are checked as clients get them.
 */
import type { ApolloServer } from '@apollo/server';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { bootstrap, type Application } from '../../src/bootstrap.ts';
import type { Policy } from '../../src/core/access.ts';
import type { GraphQLContext } from '../../src/contexts.ts';
import { createRequestAccess } from '../../src/platform/auth/request-access.ts';
import { startChannelListener, type ChannelListener } from '../../src/platform/database/channels.ts';
import { createDatabasePool } from '../../src/platform/database/pool.ts';
import { countStatements } from '../../src/platform/database/statement-counter.ts';
import { createApolloServer } from '../../src/platform/graphql/apollo.ts';
import { createCursorSigner, ephemeralCursorKeys } from '../../src/platform/graphql/cursors/signing.ts';
import { buildApplicationSchema } from '../../src/schema.ts';
import { createRecordingLogger, executeOperation } from '../support/graphql.ts';
import { requestContext, type Caller } from '../support/request-context.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

const OWNER = '6f1c1a52-8a0e-4d3b-9d5c-1f2e3a4b5c01';
const STRANGER = '6f1c1a52-8a0e-4d3b-9d5c-1f2e3a4b5c02';
const PRODUCTS = 100;
const sku = (index: number) => `P${String(index).padStart(3, '0')}`;

/** Reads what it owns, products and batches alike: every read is scoped in the SQL. */
const OWN_READER: Caller = {
  principal: OWNER,
  roles: ['supplier'],
  policies: [
    { resource: 'PRODUCT', actions: ['READ'], selectors: ['OWNER'] },
    { resource: 'BATCH', actions: ['READ'], selectors: ['OWNER'] },
  ],
};
/** Reads every product, but only two batches: a product's page of batches is scoped apart from the product. */
const PICKY_READER: Caller = {
  principal: STRANGER,
  roles: ['picky'],
  policies: [
    { resource: 'PRODUCT', actions: ['READ'], selectors: ['*'] },
    { resource: 'BATCH', actions: ['READ'], selectors: [`${sku(0)}-b2`, `${sku(1)}-b3`] },
  ],
};

const BATCH_FIELDS = 'id reference sku purchasedQuantity allocatedQuantity availableQuantity eta createdAt';
const batchesSelection = (args: string) => `batches${args} {
  totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  edges { cursor node { ${BATCH_FIELDS} } } }`;
const page = (first: number, batchArgs = '') => `{
  products(first: ${first}) {
    edges { node { sku availableQuantity ${batchesSelection(batchArgs)} } } } }`;
const alone = (productSku: string, batchArgs = '') =>
  `{ product(sku: "${productSku}") { sku availableQuantity ${batchesSelection(batchArgs)} } }`;

let database: TestDatabase;
let pool: DatabasePool;
let apollo: ApolloServer<GraphQLContext>;
let app: Application;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = await createDatabasePool(database.url, { maxPoolSize: 2 });
  apollo = createApolloServer({
    schema: buildApplicationSchema({ cursors: createCursorSigner(ephemeralCursorKeys()) }),
    isDevelopment: false,
  });
  app = bootstrap({ logger: createRecordingLogger(), pool });
  await pool.query(sql.unsafe`
    INSERT INTO users (id, email, name, password_hash) VALUES
      (${OWNER}, 'owner@page.test', 'Owner', 'x'), (${STRANGER}, 'stranger@page.test', 'Stranger', 'x')`);
  // Every third product is someone else's; batches in stock and on their way, created out of reference order.
  await pool.query(sql.unsafe`
    INSERT INTO products (sku, description, version, owner_id)
    SELECT 'P' || lpad(i::text, 3, '0'), 'product ' || i, 1, CASE WHEN i % 3 = 2 THEN ${STRANGER}::uuid ELSE ${OWNER}::uuid END
    FROM generate_series(0, ${PRODUCTS - 1}::int) AS i`);
  await pool.query(sql.unsafe`
    INSERT INTO batches (reference, sku, purchased_quantity, eta, created_at)
    SELECT 'P' || lpad(i::text, 3, '0') || '-b' || j, 'P' || lpad(i::text, 3, '0'), 10 * j,
           CASE WHEN j = 2 THEN NULL ELSE date '2027-01-01' + ((i * 7 + j * 3) % 5) END,
           timestamptz '2026-01-01 00:00:00+00' + ((4 - j) * 1000 + i) * interval '1 millisecond'
    FROM generate_series(0, ${PRODUCTS - 1}::int) AS i, generate_series(1, 3) AS j`);
  await pool.query(sql.unsafe`
    INSERT INTO allocations (order_id, sku, batch_reference, quantity)
    SELECT 'order-' || i, 'P' || lpad(i::text, 3, '0'), 'P' || lpad(i::text, 3, '0') || '-b3', 1 + i % 4
    FROM generate_series(0, ${PRODUCTS - 1}::int, 2) AS i`);
});
afterAll(async () => {
  await apollo?.stop();
  await pool?.end();
  await database?.drop();
});

const run = async (query: string, context: GraphQLContext) => {
  const { result, statements } = await countStatements(() => executeOperation(apollo, context, query));
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return { data: result.data!, statements };
};

// The documents are built from page and batch arguments, so they are not typed documents: a page is read by shape
// (loose objects keep every other field, so the answers still compare whole).
const PAGE = z.object({
  products: z.object({
    edges: z.array(
      z.object({
        node: z.looseObject({
          sku: z.string(),
          // Absent where a page selects other fields (aliases) instead.
          batches: z
            .looseObject({
              edges: z.array(z.looseObject({ node: z.looseObject({ reference: z.string() }) })),
              pageInfo: z.looseObject({ endCursor: z.string().nullable() }).optional(),
            })
            .optional(),
        }),
      }),
    ),
  }),
});
const nodesOf = (data: Record<string, unknown>) => PAGE.parse(data).products.edges.map((edge) => edge.node);

describe('a page of products with their batches, in SQL statements', () => {
  it.each([10, PRODUCTS])(
    'is one statement for a page of %i products, scoped in it to what the caller owns',
    async (first) => {
      // Three batches a page: within the cost limit for a hundred products.
      const { data, statements } = await run(page(first, '(first: 3)'), requestContext(app, OWN_READER));

      expect(statements).toBe(1);
      const nodes = nodesOf(data);
      const owned = Array.from({ length: PRODUCTS }, (_, index) => index).filter((index) => index % 3 !== 2);
      expect(nodes.map((node) => node.sku)).toEqual(owned.slice(0, first).map(sku));
      for (const node of nodes) {
        // In stock first (b2), then by arrival date; every one of the product's three batches.
        expect(node.batches?.edges).toHaveLength(3);
        expect(node.batches?.edges[0]?.node.reference).toBe(`${node.sku}-b2`);
      }
    },
  );

  it.each([
    ['no page arguments', ''],
    ['the first two', '(first: 2)'],
    ['the last two', '(last: 2)'],
    ['none', '(first: 0)'],
    ['first and last together', '(first: 2, last: 1)'],
  ])('answers exactly what each product looked up alone answers (%s)', async (_case, batchArgs) => {
    for (const caller of [OWN_READER, PICKY_READER]) {
      const planned = await run(page(12, batchArgs), requestContext(app, caller));
      expect(planned.statements).toBe(1);
      for (const node of nodesOf(planned.data)) {
        const single = await run(alone(node.sku, batchArgs), requestContext(app, caller));
        expect(node).toEqual(single.data.product);
      }
    }
  });

  it('leaves to the loader what it cannot plan (a cursor, aliases with different arguments), with the same answers', async () => {
    const context = () => requestContext(app, OWN_READER);
    const first = await run(page(3, '(first: 1)'), context());
    const cursor = nodesOf(first.data)[0]?.batches?.pageInfo?.endCursor;
    // Signed at the GraphQL boundary (`<inner>.<key id>.<mac>`): the planned page's cursors are signed like the rest.
    expect(cursor).toMatch(/\.ephemeral\.[\w-]{22}$/);

    const after = await run(
      `{ products(first: 1) { edges { node { sku ${batchesSelection(`(after: "${cursor}")`)} } } } }`,
      context(),
    );
    const single = await run(alone(sku(0), `(after: "${cursor}")`), context());
    expect(after.statements).toBe(2);
    const { availableQuantity: _figure, ...singleWithoutFigure } = single.data.product as Record<string, unknown>;
    expect(nodesOf(after.data)[0]).toEqual(singleWithoutFigure);

    const aliased = await run(
      '{ products(first: 2) { edges { node { sku a: batches(first: 1) { totalCount } b: batches(last: 1) { totalCount } } } } }',
      context(),
    );
    expect(aliased.statements).toBe(2);
    expect(nodesOf(aliased.data)).toEqual([
      { sku: sku(0), a: { totalCount: 3 }, b: { totalCount: 3 } },
      { sku: sku(1), a: { totalCount: 3 }, b: { totalCount: 3 } },
    ]);
  });
});

describe("with the caller's permissions loaded by the application", () => {
  let listener: ChannelListener;
  let cached: Application;
  beforeAll(async () => {
    const policies: readonly Policy[] = OWN_READER.policies!;
    await pool.query(sql.unsafe`INSERT INTO roles (name, policies) VALUES ('supplier', ${sql.jsonb(policies)})`);
    await pool.query(sql.unsafe`INSERT INTO user_roles (user_id, role) VALUES (${OWNER}, 'supplier')`);
    listener = await startChannelListener({ connectionString: database.url, logger: createRecordingLogger() });
    cached = bootstrap({ logger: createRecordingLogger(), pool, channels: listener });
  });
  afterAll(async () => listener?.close());

  const asOwner = (application: Application): GraphQLContext => {
    const access = createRequestAccess(OWNER, application.permissionsOf);
    return { ...requestContext(application, OWN_READER), access, views: application.viewsForRequest(access.readScope) };
  };

  it('is two statements on a cold cache (the permissions, then the page) and one once they are cached', async () => {
    expect((await run(page(20), asOwner(cached))).statements).toBe(2);
    expect((await run(page(20), asOwner(cached))).statements).toBe(1);
    expect((await run(page(20), asOwner(cached))).statements).toBe(1);
  });

  it('reads the permissions on every request where nothing can tell the process of changes (no LISTEN connection)', async () => {
    const uncached = bootstrap({ logger: createRecordingLogger(), pool });
    expect((await run(page(20), asOwner(uncached))).statements).toBe(2);
    expect((await run(page(20), asOwner(uncached))).statements).toBe(2);
  });
});

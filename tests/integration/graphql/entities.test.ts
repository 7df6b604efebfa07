/**
 * Entity resolution of the subgraph (FEDERATION=true), in process over pg-mem, as the router asks for it: every
 * reference resolves to exactly what `nodes(ids:)` answers the same caller (null where they may not read it), and a
 * router's batch of references costs the statements of one lookup, not one per reference.
 */
import type { ApolloServer } from '@apollo/server';
import { toGlobalId } from 'graphql-relay';
import { bootstrap, type Application } from '../../../src/bootstrap.ts';
import type { GraphQLContext } from '../../../src/contexts.ts';
import { countStatements } from '../../../src/platform/database/statement-counter.ts';
import { createApolloServer } from '../../../src/platform/graphql/apollo.ts';
import { buildApplicationSchema } from '../../../src/schema.ts';
import { createRecordingLogger, executeOperation, type GraphQLResult } from '../../support/graphql.ts';
import { createPgMemDatabase, type PgMemDatabase } from '../../support/pg-mem.ts';
import { ADMIN_CALLER, ANONYMOUS, requestContext, TEST_ADMIN_ID, type Caller } from '../../support/request-context.ts';
import { insertProduct, insertUser } from '../inventory/scoped-warehouse.ts';

let apollo: ApolloServer<GraphQLContext>;
let database: PgMemDatabase;
let app: Application;

beforeAll(() => {
  apollo = createApolloServer({
    schema: buildApplicationSchema({ federation: { secretRequired: true } }),
    isDevelopment: false,
  });
});
afterAll(async () => apollo.stop());
beforeEach(async () => {
  database = await createPgMemDatabase();
  app = bootstrap({ logger: createRecordingLogger(), pool: database.pool });
});
afterEach(async () => database.end());

/** A request as the router sends it: the caller's token forwarded, and the router's secret presented. */
const viaRouter = (caller: Caller, query: string, variables?: Record<string, unknown>): Promise<GraphQLResult> =>
  executeOperation(apollo, { ...requestContext(app, caller), presentsRouterSecret: true }, query, variables);

const ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Product { sku description version }
    ... on Batch { reference sku purchasedQuantity }
    ... on User { email name }
  }
}`;

const NODES = `query ($ids: [ID!]!) {
  nodes(ids: $ids) {
    ... on Product { sku description version }
    ... on Batch { reference sku purchasedQuantity }
    ... on User { email name }
  }
}`;

const seedWarehouse = async () => {
  await insertUser(database, 'admin', TEST_ADMIN_ID);
  const alice = await insertUser(database, 'alice');
  await insertProduct(database, 'LAMP', TEST_ADMIN_ID);
  await insertProduct(database, 'DESK', alice);
  database.db.public.none(`INSERT INTO batches (reference, sku, purchased_quantity) VALUES
    ('lamp-1', 'LAMP', 10), ('desk-1', 'DESK', 5)`);
  return { alice };
};

describe('a reference from the router', () => {
  it('resolves to what nodes(ids:) answers the same caller, null wherever they may not read it', async () => {
    const { alice } = await seedWarehouse();
    const references: Array<readonly [Record<string, string>, string]> = [
      [{ __typename: 'Product', sku: 'LAMP' }, toGlobalId('Product', 'LAMP')],
      [{ __typename: 'Product', sku: 'DESK' }, toGlobalId('Product', 'DESK')],
      [{ __typename: 'Product', sku: 'NO-SUCH-SKU' }, toGlobalId('Product', 'NO-SUCH-SKU')],
      [{ __typename: 'Batch', reference: 'lamp-1' }, toGlobalId('Batch', 'lamp-1')],
      [{ __typename: 'Batch', reference: 'desk-1' }, toGlobalId('Batch', 'desk-1')],
      [{ __typename: 'User', id: toGlobalId('User', alice) }, toGlobalId('User', alice)],
      [{ __typename: 'User', id: toGlobalId('User', TEST_ADMIN_ID) }, toGlobalId('User', TEST_ADMIN_ID)],
      // Upper-case hex names the same account, as it does in a global id.
      [{ __typename: 'User', id: toGlobalId('User', alice.toUpperCase()) }, toGlobalId('User', alice.toUpperCase())],
      [{ __typename: 'User', id: toGlobalId('Product', 'LAMP') }, toGlobalId('Product', 'LAMP')],
    ];
    const callers: Caller[] = [
      ADMIN_CALLER,
      ANONYMOUS,
      { principal: alice, roles: ['none'], policies: [] },
      {
        principal: alice,
        roles: ['owner'],
        policies: [
          { resource: 'PRODUCT', actions: ['READ'], selectors: ['OWNER'] },
          { resource: 'BATCH', actions: ['READ'], selectors: ['lamp-1'] },
          { resource: 'USER', actions: ['READ'], selectors: ['OWNER'] },
        ],
      },
    ];

    for (const caller of callers) {
      const entities = await viaRouter(caller, ENTITIES, {
        representations: references.map(([reference]) => reference),
      });
      const nodes = await executeOperation(apollo, requestContext(app, caller), NODES, {
        ids: references.map(([, id]) => id),
      });

      expect(entities.errors).toBeUndefined();
      // The last reference names a Product by a User key: it resolves to no User, where node(id:) finds the product.
      expect(entities.data?._entities).toEqual([...(nodes.data?.nodes as unknown[]).slice(0, -1), null]);
    }
    // Not vacuous: the administrator sees all but the missing ones, the owner only their own.
    const all = await viaRouter(ADMIN_CALLER, ENTITIES, {
      representations: references.map(([reference]) => reference),
    });
    expect((all.data?._entities as unknown[]).map((entity) => entity !== null)).toEqual([
      true,
      true,
      false,
      true,
      true,
      true,
      true,
      true,
      false,
    ]);
    const owner = await viaRouter(callers[3]!, ENTITIES, {
      representations: references.map(([reference]) => reference),
    });
    expect(owner.data?._entities).toEqual([
      null,
      { sku: 'DESK', description: '', version: 1 },
      null,
      { reference: 'lamp-1', sku: 'LAMP', purchasedQuantity: 10 },
      null,
      { email: 'alice@example.com', name: 'alice' },
      null,
      { email: 'alice@example.com', name: 'alice' },
      null,
    ]);
  });

  it('gets its other fields from the views, exactly as the product read by its SKU does', async () => {
    await seedWarehouse();
    const fields = 'sku batches { totalCount edges { node { reference purchasedQuantity } } }';

    const entity = await viaRouter(
      ADMIN_CALLER,
      `{ _entities(representations: [{ __typename: "Product", sku: "LAMP" }]) { ... on Product { ${fields} } } }`,
    );
    const product = await executeOperation(apollo, requestContext(app), `{ product(sku: "LAMP") { ${fields} } }`);

    expect(entity.data?._entities).toEqual([product.data?.product]);
    expect(product.data?.product).toEqual({
      sku: 'LAMP',
      batches: { totalCount: 1, edges: [{ node: { reference: 'lamp-1', purchasedQuantity: 10 } }] },
    });
  });
});

const sku = (index: number) => `P${String(index).padStart(3, '0')}`;

/** `count` products with three batches each, straight into pg-mem (seeding is not what is measured). */
const seedProducts = (count: number): void => {
  const indexes = Array.from({ length: count }, (_, index) => index);
  database.db.public.none(`INSERT INTO products (sku, description, version) VALUES
    ${indexes.map((index) => `('${sku(index)}', '', 1)`).join(', ')}`);
  database.db.public.none(`INSERT INTO batches (reference, sku, purchased_quantity) VALUES
    ${indexes.flatMap((index) => [1, 2, 3].map((n) => `('${sku(index)}-b${n}', '${sku(index)}', 10)`)).join(', ')}`);
};

const counted = async (query: string, variables: Record<string, unknown>, router: boolean) => {
  const context = { ...requestContext(app, ADMIN_CALLER), presentsRouterSecret: router };
  const { result, statements } = await countStatements(() => executeOperation(apollo, context, query, variables));
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return { data: result.data, statements };
};

describe('a page of references, counted in SQL statements', () => {
  const productFields = (withBatches: boolean) =>
    `sku description ${withBatches ? 'batches { edges { node { reference } } }' : ''}`;

  // A page of products plans its batches into its own statement, which pg-mem cannot run (real Postgres:
  // tests/e2e/one-statement-per-page.test.ts): here the references answer what nodes(ids:) answers (one lookup per
  // id), and cost one lookup of products plus, when asked for, one of their batches, as a page did before planning.
  it.each([
    [false, 1],
    [true, 2],
  ])(
    'answers what nodes(ids:) answers, in one lookup per type (batches: %s, %i statements), not one per product',
    async (withBatches, statements) => {
      seedProducts(20);
      const ids = Array.from({ length: 20 }, (_, index) => toGlobalId('Product', sku(index)));
      const nodes = await counted(
        `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Product { ${productFields(withBatches)} } } }`,
        { ids },
        false,
      );
      const representations = Array.from({ length: 20 }, (_, index) => ({ __typename: 'Product', sku: sku(index) }));

      const entities = await counted(
        `query ($representations: [_Any!]!) {
          _entities(representations: $representations) { ... on Product { ${productFields(withBatches)} } }
        }`,
        { representations },
        true,
      );

      // The same twenty products, read whole: the router gets what nodes(ids:) shows. Both documents are built from
      // the fields above, so neither is a typed document: compare the answers whole instead of casting them.
      const products = nodes.data?.nodes;
      if (!Array.isArray(products)) throw new Error(`no nodes in ${JSON.stringify(nodes.data)}`);
      expect(entities.data?._entities).toEqual(products);
      expect(products).toHaveLength(20);
      expect(entities.statements).toBe(statements);
      if (!withBatches) {
        const page = await counted(`{ products(first: 20) { edges { node { ${productFields(false)} } } } }`, {}, false);
        expect(page.data).toEqual({ products: { edges: products.map((node: unknown) => ({ node })) } });
        expect(page.statements).toBe(1);
      }
    },
  );

  it('costs one lookup per type when the router mixes products, batches and users', async () => {
    seedProducts(20);
    const users = await Promise.all(Array.from({ length: 5 }, (_, index) => insertUser(database, `user${index}`)));
    const representations = [
      ...Array.from({ length: 20 }, (_, index) => ({ __typename: 'Product', sku: sku(index) })),
      ...Array.from({ length: 20 }, (_, index) => ({ __typename: 'Batch', reference: `${sku(index)}-b1` })),
      ...users.map((id) => ({ __typename: 'User', id: toGlobalId('User', id) })),
    ];

    const { data, statements } = await counted(ENTITIES, { representations }, true);

    expect((data?._entities as unknown[]).filter((entity) => entity !== null)).toHaveLength(45);
    expect(statements).toBe(3);
  });
});

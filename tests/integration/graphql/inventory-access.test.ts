/**
 * The inventory API's side of authorization, in process over pg-mem: who owns what addBatch creates, and what the
 * fields between inventory objects answer when the caller may read one end but not the other. (Guards on root
 * fields and the owner's view of their own stock are covered end to end in tests/e2e/ownership.test.ts.)
 */
import type { ApolloServer } from '@apollo/server';
import { toGlobalId } from 'graphql-relay';
import { sql } from 'slonik';
import { bootstrap, type Application } from '../../../src/bootstrap.ts';
import type { Action, Policy, Resource } from '../../../src/core/access.ts';
import { createApolloServer } from '../../../src/platform/graphql/apollo.ts';
import type { GraphQLContext } from '../../../src/contexts.ts';
import { buildApplicationSchema } from '../../../src/schema.ts';
import { createRecordingLogger, executeOperation, type GraphQLResult } from '../../support/graphql.ts';
import { createPgMemDatabase, type PgMemDatabase } from '../../support/pg-mem.ts';
import { ADMIN_CALLER, requestContext, TEST_ADMIN_ID, type Caller } from '../../support/request-context.ts';
import { insertUser } from '../inventory/scoped-warehouse.ts';

let apollo: ApolloServer<GraphQLContext>;
let database: PgMemDatabase;
let app: Application;

beforeAll(() => {
  apollo = createApolloServer({ schema: buildApplicationSchema(), isDevelopment: false });
});
afterAll(async () => apollo.stop());

const policy = (resource: Resource, actions: Action[], ...selectors: string[]): Policy => ({
  resource,
  actions,
  selectors,
});

/** A caller holding one role with `policies`; a real user, so the products they create can be theirs. */
const caller = async (name: string, ...policies: Policy[]): Promise<Caller> => ({
  principal: await insertUser(database, name),
  roles: [name],
  policies,
});

const as = (who: Caller, query: string, variables?: Record<string, unknown>): Promise<GraphQLResult> =>
  executeOperation(apollo, requestContext(app, who), query, variables);

const codes = (result: GraphQLResult) =>
  result.errors?.map((error) => ({ path: error.path, code: error.extensions?.code }));

const ADD_BATCH = `mutation ($sku: String!, $reference: String!) {
  addBatch(input: { sku: $sku, reference: $reference, quantity: 10 }) { product { sku } batch { reference } }
}`;

beforeEach(async () => {
  database = await createPgMemDatabase();
  app = bootstrap({ logger: createRecordingLogger(), pool: database.pool });
  await insertUser(database, 'admin', TEST_ADMIN_ID);
  await as(ADMIN_CALLER, ADD_BATCH, { sku: 'LAMP', reference: 'lamp-1' });
  await as(
    ADMIN_CALLER,
    'mutation { allocate(input: { orderId: "o-1", sku: "LAMP", quantity: 3 }) { batchReference } }',
  );
});
afterEach(async () => database.end());

const owners = () => database.pool.any(sql.unsafe`SELECT sku, owner_id AS "ownerId" FROM products ORDER BY sku`);

describe('who owns what addBatch creates', () => {
  it('the caller who adds the first batch owns the product; a later batch by someone else leaves it theirs', async () => {
    const alice = await caller('alice', policy('PRODUCT', ['CREATE', 'READ'], '*'), policy('BATCH', ['READ'], '*'));

    await as(alice, ADD_BATCH, { sku: 'DESK', reference: 'desk-1' });
    await as(ADMIN_CALLER, ADD_BATCH, { sku: 'DESK', reference: 'desk-2' });
    await as(alice, ADD_BATCH, { sku: 'LAMP', reference: 'lamp-2' });

    expect(await owners()).toEqual([
      { sku: 'DESK', ownerId: alice.principal },
      { sku: 'LAMP', ownerId: TEST_ADMIN_ID },
    ]);
  });
});

describe('a related object the caller may not read', () => {
  it('addBatch by a caller who may create products but not read them commits, and answers FORBIDDEN for the payload', async () => {
    const stocker = await caller('stocker', policy('PRODUCT', ['CREATE'], '*'));

    const result = await as(
      stocker,
      'mutation { addBatch(input: { sku: "DESK", reference: "desk-1", quantity: 10 }) { product { sku } } }',
    );

    expect(result.data).toBeNull();
    expect(codes(result)).toEqual([{ path: ['addBatch', 'product'], code: 'FORBIDDEN' }]);
    expect(await owners()).toContainEqual({ sku: 'DESK', ownerId: stocker.principal });
  });

  it('a batch the caller may read, whose product they may not: Batch.product is FORBIDDEN, not an internal error', async () => {
    const batchReader = await caller('batch-reader', policy('BATCH', ['READ'], '*'));

    const result = await as(
      batchReader,
      `query ($id: ID!) { node(id: $id) { ... on Batch { reference product { sku } } } }`,
      {
        id: toGlobalId('Batch', 'lamp-1'),
      },
    );

    // Batch.product is non-null, so the batch goes too; the error says why.
    expect(result.data).toEqual({ node: null });
    expect(codes(result)).toEqual([{ path: ['node', 'product'], code: 'FORBIDDEN' }]);
  });

  it('an allocation of a product the caller may read, from a batch they may not: Allocation.batch is FORBIDDEN', async () => {
    const productReader = await caller('product-reader', policy('PRODUCT', ['READ'], 'LAMP'));

    const result = await as(productReader, '{ allocations(orderId: "o-1") { sku batch { reference } } }');

    expect(codes(result)).toEqual([{ path: ['allocations', 0, 'batch'], code: 'FORBIDDEN' }]);
  });

  it("a product's available quantity counts the batches the caller may not read", async () => {
    const productReader = await caller('product-reader', policy('PRODUCT', ['READ'], 'LAMP'));

    const result = await as(productReader, '{ product(sku: "LAMP") { availableQuantity batches { totalCount } } }');

    expect(result).toEqual({ data: { product: { availableQuantity: 7, batches: { totalCount: 0 } } } });
  });

  it('node(id) is scoped like the views: an unreadable product is null, as if it did not exist', async () => {
    const deskOwner = await caller('desk-owner', policy('PRODUCT', ['CREATE', 'READ'], 'OWNER'));
    await as(deskOwner, ADD_BATCH, { sku: 'DESK', reference: 'desk-1' });

    const read = (sku: string) =>
      as(deskOwner, 'query ($id: ID!) { node(id: $id) { ... on Product { sku } } }', {
        id: toGlobalId('Product', sku),
      });

    expect(await read('LAMP')).toEqual({ data: { node: null } });
    expect(await read('DESK')).toEqual({ data: { node: { sku: 'DESK' } } });
  });
});

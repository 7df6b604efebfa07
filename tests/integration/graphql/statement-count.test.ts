/**
 * The N+1 guard: a page of products with their batches costs a fixed number of SQL statements however many
 * products are on the page. Counted by the production statement counter (an interceptor of the pool) around one
 * in-process request with its own views, as the HTTP server builds them.
 */
import type { ApolloServer } from '@apollo/server';
import { bootstrap } from '../../../src/bootstrap.ts';
import { countStatements } from '../../../src/platform/database/statement-counter.ts';
import { createApolloServer } from '../../../src/platform/graphql/apollo.ts';
import type { GraphQLContext } from '../../../src/contexts.ts';
import { buildApplicationSchema } from '../../../src/schema.ts';
import { createRecordingLogger, executeOperation } from '../../support/graphql.ts';
import { requestContext } from '../../support/request-context.ts';
import { createPgMemDatabase, type PgMemDatabase } from '../../support/pg-mem.ts';

const PRODUCTS_WITH_BATCHES = /* GraphQL */ `
  {
    products(first: 100) {
      totalCount
      edges {
        node {
          sku
          batches {
            totalCount
            edges {
              node {
                reference
              }
            }
          }
        }
      }
    }
  }
`;

/** The products page, its count, and one batch load for every product on the page. */
const STATEMENTS = 3;

let apollo: ApolloServer<GraphQLContext>;
let database: PgMemDatabase;

beforeAll(() => {
  apollo = createApolloServer({ schema: buildApplicationSchema(), isDevelopment: false });
});
afterAll(async () => apollo.stop());
beforeEach(async () => {
  database = await createPgMemDatabase();
});
afterEach(async () => database.end());

const sku = (index: number) => `P${String(index).padStart(3, '0')}`;

/** `products` products with three batches each, straight into pg-mem (seeding is not what is measured). */
const seed = (products: number): void => {
  const indexes = Array.from({ length: products }, (_, index) => index);
  database.db.public.none(`INSERT INTO products (sku, description, version) VALUES
    ${indexes.map((index) => `('${sku(index)}', '', 1)`).join(', ')}`);
  database.db.public.none(`INSERT INTO batches (reference, sku, purchased_quantity, eta) VALUES
    ${indexes.flatMap((index) => [1, 2, 3].map((n) => `('${sku(index)}-b${n}', '${sku(index)}', 10, ${n === 1 ? 'null' : `'2027-0${n}-01'`})`)).join(', ')}`);
};

/**
 * One request, as the HTTP server runs it: fresh views from viewsForRequest(), statements counted throughout. The
 * caller is an admin whose permissions are given, not loaded, so no statement here is the permissions query.
 */
const countedRequest = async () => {
  const app = bootstrap({ logger: createRecordingLogger(), pool: database.pool });
  const context = requestContext(app);
  const { result, statements } = await countStatements(() => executeOperation(apollo, context, PRODUCTS_WITH_BATCHES));
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  type Answer = {
    totalCount: number;
    edges: Array<{
      node: { sku: string; batches: { totalCount: number; edges: Array<{ node: { reference: string } }> } };
    }>;
  };
  const page = result.data?.products as Answer;
  return { page, statements };
};

describe('products with their batches, counted in SQL statements', () => {
  it.each([100, 10])(
    `${STATEMENTS} statements (products page, count, one batch load) for a page of %i products with 3 batches each`,
    async (products) => {
      seed(products);

      const { page, statements } = await countedRequest();

      // The whole answer really was read: every product, every batch.
      expect(page.totalCount).toBe(products);
      expect(page.edges.map(({ node }) => node.sku)).toEqual(
        Array.from({ length: products }, (_, index) => sku(index)),
      );
      for (const { node } of page.edges) {
        expect(node.batches.totalCount).toBe(3);
        expect(node.batches.edges.map((edge) => edge.node.reference)).toEqual(
          [1, 2, 3].map((n) => `${node.sku}-b${n}`),
        );
      }
      expect(statements).toBe(STATEMENTS);
    },
  );

  it('the count does not grow with the page: 10 and 100 products cost the same', async () => {
    seed(100);
    const hundred = (await countedRequest()).statements;
    await database.end();
    database = await createPgMemDatabase();
    seed(10);
    const ten = (await countedRequest()).statements;

    expect({ ten, hundred }).toEqual({ ten: STATEMENTS, hundred: STATEMENTS });
  });
});

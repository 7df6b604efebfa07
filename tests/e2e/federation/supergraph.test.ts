/**
 * Kingdom in a supergraph, end to end: Kingdom (FEDERATION=true, real HTTP, real Postgres) and a second subgraph
 * (`reviews`, another team's) composed from the how-to's supergraph.yaml, behind @apollo/gateway applying the
 * how-to's router.yaml. Queries that cross the two answer, for each caller, exactly what Kingdom alone answers that
 * caller: the router forwards the caller's Authorization, and Kingdom scopes every entity as it scopes node(id:).
 */
import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { toGlobalId } from 'graphql-relay';
import { supergraphConfig } from './router.ts';
import { CALLERS, data, startSupergraph, type Caller, type Supergraph } from './supergraph-fixture.ts';

jest.setTimeout(60_000);

let supergraph: Supergraph;
beforeAll(async () => {
  supergraph = await startSupergraph();
});
afterAll(async () => supergraph?.stop());

const viaRouter = (caller: Caller, query: string) => supergraph.viaRouter(caller, query);
const alone = (caller: Caller, query: string, variables?: Record<string, unknown>) =>
  supergraph.alone(caller, query, variables);

describe('composing the supergraph', () => {
  it('uses the composition version supergraph.yaml pins for rover', () => {
    const require = createRequire(import.meta.url);
    const installed = (
      JSON.parse(readFileSync(require.resolve('@apollo/composition/package.json'), 'utf8')) as { version: string }
    ).version;

    expect(supergraphConfig().federation_version).toBe(`=${installed}`);
  });

  it("joins Kingdom's entities with what the reviews subgraph adds to them", () => {
    expect(supergraph.sdl).toMatch(/type Product\b[^{]*@join__type\(graph: KINGDOM, key: "sku"\)/);
    expect(supergraph.sdl).toMatch(/type Product\b[^{]*@join__type\(graph: REVIEWS, key: "sku"\)/);
    expect(supergraph.sdl).toMatch(/reviews: \[Review!\]! @join__field\(graph: REVIEWS\)/);
  });

  it("gives clients none of the subgraphs' router fields", async () => {
    const response = await viaRouter('admin', '{ _service { sdl } }');

    expect(response.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('a query from the reviews subgraph into Kingdom', () => {
  const products = ['SKU-A', 'SKU-B', 'GHOST'];

  it.each(CALLERS)('answers %s the products and authors Kingdom alone answers them', async (caller) => {
    const answer = data(await viaRouter(caller, '{ reviews { id product { sku description } author { email } } }'));
    const kingdomProducts = data(
      await alone(caller, 'query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Product { sku description } } }', {
        ids: products.map((sku) => toGlobalId('Product', sku)),
      }),
    ).nodes;
    const kingdomAuthors = data(
      await alone(caller, 'query ($ids: [ID!]!) { nodes(ids: $ids) { ... on User { email } } }', {
        ids: [supergraph.ids.admin, supergraph.ids.reader, supergraph.ids.reader],
      }),
    ).nodes as unknown[];

    const answered = answer.reviews as Array<{ product: unknown; author: unknown }>;
    expect(answered.map((review) => review.product)).toEqual(kingdomProducts);
    expect(answered.map((review) => review.author)).toEqual(kingdomAuthors);
  });

  it('is scoped per caller, not just the same for everyone', async () => {
    const reader = data(await viaRouter('reader', '{ reviews { product { sku version } author { email } } }'));

    expect(reader.reviews).toEqual([
      { product: { sku: 'SKU-A', version: 1 }, author: null },
      { product: null, author: { email: 'reader@example.com' } },
      { product: null, author: { email: 'reader@example.com' } },
    ]);
  });

  it("shows a product's key without asking Kingdom: the key is the reviews subgraph's own data", async () => {
    // Federation's rule, not Kingdom's: a selection of key fields only is answered from the referencing subgraph.
    const anonymous = data(await viaRouter('anonymous', '{ reviews { product { sku } } }'));

    expect(anonymous.reviews).toEqual([
      { product: { sku: 'SKU-A' } },
      { product: { sku: 'SKU-B' } },
      { product: { sku: 'GHOST' } },
    ]);
  });
});

describe('a query from Kingdom into the reviews subgraph', () => {
  const query = (withReviews: boolean) =>
    `{ products { edges { node { sku description ${withReviews ? 'reviews { id rating }' : ''} } } } }`;

  it.each(['admin', 'reader'] as const)(
    'answers %s the page Kingdom alone answers, with each product’s reviews',
    async (caller) => {
      const answer = data(await viaRouter(caller, query(true)));
      const kingdomAlone = data(await alone(caller, query(false)));

      type Page = { products: { edges: Array<{ node: { reviews?: Array<{ id: string }> } }> } };
      const { products } = answer as Page;
      expect({
        products: { edges: products.edges.map(({ node: { reviews: _reviews, ...node } }) => ({ node })) },
      }).toEqual(kingdomAlone);
      expect(products.edges.map(({ node }) => node.reviews?.map((review) => review.id))).toEqual(
        caller === 'admin' ? [['r1'], ['r2']] : [['r1']],
      );
    },
  );

  it('refuses an anonymous caller as Kingdom alone does', async () => {
    const answer = await viaRouter('anonymous', query(true));
    const kingdomAlone = await alone('anonymous', query(false));

    expect(kingdomAlone.body.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(answer.body.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it("sends the caller's Authorization to the reviews subgraph too, and never Kingdom's secret", () => {
    expect(supergraph.reviews.requests.length).toBeGreaterThan(0);
    expect(supergraph.reviews.requests.filter((request) => request['x-router-secret'] !== undefined)).toEqual([]);
    expect(new Set(supergraph.reviews.requests.map((request) => request.authorization))).toEqual(
      new Set([supergraph.headers.admin.authorization, supergraph.headers.reader.authorization, undefined]),
    );
  });
});

import { LIMIT_MESSAGES } from '../../src/platform/graphql/limits/messages.ts';
import { startTestServer, type GraphQLResponse, type TestServer } from './support/server.ts';

/**
 * The GraphQL limits at their production defaults (GRAPHQL_MAX_DEPTH 10, _ALIASES 15, _DIRECTIVES 50, _TOKENS 1000,
 * _COST 5000): refused with 400 and GRAPHQL_VALIDATION_FAILED before any resolver runs, without naming the limit.
 */

/** Product -> batches -> edges -> node (a Batch) -> product -> ...: as deep as asked, with a leaf that fits. */
const CHAIN = ['batches(first: 2)', 'edges', 'node', 'product'] as const;
const LEAF: Record<(typeof CHAIN)[number], string> = {
  'batches(first: 2)': 'totalCount',
  edges: 'cursor',
  node: 'sku',
  product: 'sku',
};
/** A selection `levels` fields deep, below a field returning a Product. */
const nested = (levels: number): string => {
  const fields = Array.from({ length: levels - 1 }, (_, index) => CHAIN[index % CHAIN.length]!);
  const leaf = fields.length === 0 ? 'sku' : LEAF[fields.at(-1)!];
  return fields.reduceRight((inner, field) => `${field} { ${inner} }`, leaf);
};
/** A query `depth` fields deep: `product(sku) { batches { edges { node { product { ... } } } } }`. */
const queryOfDepth = (depth: number): string => `{ product(sku: "DEEP") { ${nested(depth - 1)} } }`;

const addBatch = (sku: string, reference: string): string =>
  `addBatch(input: { reference: "${reference}", sku: "${sku}", quantity: 5 })`;

const expectRefused = (response: GraphQLResponse, message: string): void => {
  expect(response.status).toBe(400);
  expect(response.body.data).toBeUndefined();
  expect(response.body.errors).toHaveLength(1);
  const [error] = response.body.errors!;
  expect(error?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  expect(error?.message).toBe(message);
  // Never the configured numbers (nor any other): they would tell a prober how far to go.
  expect(error?.message).not.toMatch(/\d/);
};

const expectAccepted = (response: GraphQLResponse): void => {
  expect(response.body.errors).toBeUndefined();
  expect(response.status).toBe(200);
};

describe('GraphQL limits (production defaults)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  /** Nothing was stored for this SKU: the refused mutation's resolver never ran. */
  const expectNothingStored = async (sku: string): Promise<void> => {
    const { body } = await server.admin('query ($sku: String!) { product(sku: $sku) { sku } }', { sku });
    expect(body).toEqual({ data: { product: null } });
  };

  test('depth: 10 levels pass, 11 are refused', async () => {
    expectAccepted(await server.admin(queryOfDepth(10)));
    expectRefused(await server.admin(queryOfDepth(11)), LIMIT_MESSAGES.depth);
  });

  test('depth: a too-deep mutation is refused before addBatch runs', async () => {
    // addBatch > product > [9 more levels] = 11
    const mutation = `mutation { ${addBatch('DEEP-1', 'deep-1')} { product { ${nested(9)} } } }`;
    expectRefused(await server.admin(mutation), LIMIT_MESSAGES.depth);
    await expectNothingStored('DEEP-1');
  });

  test('aliases: 15 pass, 16 are refused (and no aliased addBatch ran)', async () => {
    // Aliases of __typename are free (armor's allow list): they cost nothing to resolve.
    const aliases = (count: number) =>
      Array.from({ length: count }, (_, index) => `a${index}: product(sku: "A${index}") { sku }`).join(' ');
    expectAccepted(await server.admin(`{ ${aliases(15)} }`));
    expectRefused(await server.admin(`{ ${aliases(16)} }`), LIMIT_MESSAGES.aliases);
    const mutations = Array.from(
      { length: 16 },
      (_, index) => `m${index}: ${addBatch('ALIASES-1', `alias-${index}`)} { batch { reference } }`,
    );
    expectRefused(await server.admin(`mutation { ${mutations.join(' ')} }`), LIMIT_MESSAGES.aliases);
    await expectNothingStored('ALIASES-1');
  });

  test('directives: 50 pass, 51 are refused (and addBatch did not run)', async () => {
    const directives = (count: number) => 'reference @include(if: true) '.repeat(count);
    const mutation = (count: number, sku: string) =>
      `mutation { ${addBatch(sku, sku)} { batch { ${directives(count)} } } }`;
    expectRefused(await server.admin(mutation(51, 'DIRECTIVES-1')), LIMIT_MESSAGES.directives);
    await expectNothingStored('DIRECTIVES-1');
    expectAccepted(await server.admin(mutation(50, 'DIRECTIVES-2')));
  });

  test('tokens: 1000 pass, 1001 are refused before the document is parsed to the end', async () => {
    // `{ nodes(ids: [` n ids `]) { __typename } }`: n + 12 tokens (the ids are not ours: each resolves to null).
    const nodes = (count: number) => `{ nodes(ids: [${'"x" '.repeat(count)}]) { __typename } }`;
    const accepted = await server.admin(nodes(988));
    expect([accepted.status, accepted.body.errors?.[0]?.extensions?.code]).not.toEqual([
      400,
      'GRAPHQL_VALIDATION_FAILED',
    ]);
    expect(accepted.body.data).toBeDefined();
    expectRefused(await server.admin(nodes(989)), LIMIT_MESSAGES.tokens);
    const padded = `mutation { ${addBatch('TOKENS-1', 'tokens-1')} { batch { reference } } ${'__typename '.repeat(1000)}}`;
    expectRefused(await server.admin(padded), LIMIT_MESSAGES.tokens);
    await expectNothingStored('TOKENS-1');
  });

  test('cost: page sizes multiply; 100 products x 100 batches is refused, 20 x the default 20 passes', async () => {
    const page = (products: string, batches: string) =>
      `{ products${products} { edges { node { sku batches${batches} { edges { node { reference sku } } } } } } }`;
    expectAccepted(await server.admin(page('(first: 20)', '')));
    expectAccepted(await server.admin(page('(first: 20)', '(first: 20)')));
    expectRefused(await server.admin(page('(first: 100)', '(first: 100)')), LIMIT_MESSAGES.cost);
  });

  test('cost: page sizes given as variables count as the largest page, unless the variable has a default', async () => {
    const query = (declaration: string) =>
      `query (${declaration}) { products(first: $n) { edges { node { batches(first: $n) { edges { node { sku } } } } } } }`;
    expectRefused(await server.admin(query('$n: Int'), { n: 1 }), LIMIT_MESSAGES.cost);
    expectAccepted(await server.admin(query('$n: Int = 10'), { n: 10 }));
  });

  test('cost: a too-expensive mutation is refused before addBatch runs', async () => {
    const mutation = `mutation { ${addBatch('COST-1', 'cost-1')} {
      product { batches(first: 100) { edges { node { product { batches(first: 100) { edges { node { sku } } } } } } } }
    } }`;
    expectRefused(await server.admin(mutation), LIMIT_MESSAGES.cost);
    await expectNothingStored('COST-1');
  });

  test('the limits come from the configuration', async () => {
    const strict = await startTestServer({ GRAPHQL_MAX_DEPTH: '3', GRAPHQL_MAX_ALIASES: '1' });
    try {
      expectRefused(await strict.admin(queryOfDepth(4)), LIMIT_MESSAGES.depth);
      expectAccepted(await strict.admin(queryOfDepth(3)));
      expectRefused(
        await strict.admin('{ a: product(sku: "A") { sku } b: product(sku: "B") { sku } }'),
        LIMIT_MESSAGES.aliases,
      );
    } finally {
      await strict.close();
    }
  });
});

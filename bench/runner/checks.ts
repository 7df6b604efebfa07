/**
 * Before any load, the run checks that it measures what it claims: the deep-page cursor is the one the server
 * itself issues, Kingdom's and PostGraphile's nested answers hold the same data, and an allocation succeeds.
 */
import type { DatabasePool } from 'slonik';
import { HOT, QUERIES, type Tokens } from '../scenarios.ts';
import { progress } from '../support/cli.ts';
import { rowsAround, SKU_ASC } from '../support/dataset.ts';
import { graphqlBody, postGraphQL, queryOrThrow } from '../support/graphql-client.ts';
import { productsCursorSigner, type BenchCursorKey } from '../support/signed-cursors.ts';
import type { Servers } from './servers.ts';

/** Where the deep page starts: after this share of the products. */
const DEPTH = 0.9;

type NestedProduct = {
  id: string;
  sku: string;
  description: string;
  version: number;
  createdAt: string;
  batches: Array<{ reference: string; purchasedQuantity: number; eta: string | null; createdAt: string }>;
};

const compareNestedAnswers = async (kingdomUrl: string, postgraphileUrl: string, token: string) => {
  type Batch = { node: { reference: string; purchasedQuantity: number; eta: string | null; createdAt: string } };
  type Node = Omit<NestedProduct, 'batches'> & { batches?: { edges: Batch[] }; batchesBySku?: { edges: Batch[] } };
  type Page = { edges: Array<{ node: Node }>; pageInfo: { hasNextPage: boolean } };
  const ours = await queryOrThrow<{ products: Page }>(kingdomUrl, graphqlBody(QUERIES.nested), token);
  const theirs = await queryOrThrow<{ allProducts: Page }>(postgraphileUrl, graphqlBody(QUERIES.postgraphileNested));
  const normalise = (page: Page): NestedProduct[] =>
    page.edges.map(({ node }) => ({
      id: '',
      sku: node.sku,
      description: node.description,
      version: node.version,
      createdAt: new Date(node.createdAt).toISOString(),
      batches: (node.batches ?? node.batchesBySku)!.edges
        .map(({ node: { reference, purchasedQuantity, eta, createdAt } }) => ({
          reference,
          purchasedQuantity,
          eta,
          createdAt: new Date(createdAt).toISOString(),
        }))
        .sort((a, b) => a.reference.localeCompare(b.reference)),
    }));
  const [a, b] = [normalise(ours.data.products), normalise(theirs.data.allProducts)];
  const differences: string[] = [];
  if (a.length !== b.length) differences.push(`${a.length} products vs ${b.length}`);
  for (let index = 0; index < Math.min(a.length, b.length); index++) {
    if (JSON.stringify(a[index]) !== JSON.stringify(b[index]))
      differences.push(`product ${index}: ${JSON.stringify(a[index])} vs ${JSON.stringify(b[index])}`.slice(0, 400));
  }
  if (ours.data.products.pageInfo.hasNextPage !== theirs.data.allProducts.pageInfo.hasNextPage)
    differences.push('hasNextPage differs');
  return {
    equivalent: differences.length === 0,
    products: a.length,
    batches: a.reduce((sum, product) => sum + product.batches.length, 0),
    responseBytes: { kingdom: Buffer.byteLength(ours.text), postgraphile: Buffer.byteLength(theirs.text) },
    note: "Same products, fields and batches (compared as sets: PostGraphile orders batches by reference, Kingdom in allocation order); ids and cursors are each server's own opaque encodings.",
    differences: differences.slice(0, 5),
  };
};

/** The enforce arm runs the benchmark's operations and refuses any other, before parsing it. */
const checkEnforcement = async (url: string, readerToken: string): Promise<void> => {
  await queryOrThrow(url, graphqlBody(QUERIES.typename));
  await queryOrThrow(url, graphqlBody(QUERIES.nested), readerToken);
  const other = await postGraphQL(url, graphqlBody('query Other { __typename }'));
  if (other.status !== 400 || other.errors[0]?.extensions?.code !== 'PERSISTED_QUERY_NOT_IN_LIST')
    throw new Error(`the enforcing server ran an operation outside its manifest: ${other.text.slice(0, 300)}`);
  progress('trusted documents enforced: the benchmark operations run, any other is refused');
};

export const checkBeforeLoad = async (
  pool: DatabasePool,
  servers: Servers,
  tokens: Tokens,
  cursorKey: BenchCursorKey,
  products: number,
) => {
  const cursorOf = productsCursorSigner(cursorKey, tokens.reader);
  const kingdom = servers.kingdom!;
  const deepPosition = Math.floor(products * DEPTH);
  const [beforeDeep, atDeep, firstDeep] = await rowsAround(pool, SKU_ASC, deepPosition, 'SKU-0%');
  const deepCursor = cursorOf(SKU_ASC, atDeep!);
  const probe = await queryOrThrow<{ products: { edges: Array<{ cursor: string; node: { sku: string } }> } }>(
    kingdom.url,
    graphqlBody(
      'query Probe($after: String!) { products(first: 1, after: $after) { edges { cursor node { sku } } } }',
      {
        after: cursorOf(SKU_ASC, beforeDeep!),
      },
    ),
    tokens.reader,
  );
  if (probe.data.products.edges[0]?.node.sku !== atDeep!.sku || probe.data.products.edges[0]?.cursor !== deepCursor) {
    throw new Error(`the server's cursor for row ${deepPosition} differs from ours: ${JSON.stringify(probe.data)}`);
  }
  const deepBody = graphqlBody(QUERIES.deep, { after: deepCursor });
  const deepAnswer = await queryOrThrow<{ products: { edges: Array<{ node: { sku: string } }> } }>(
    kingdom.url,
    deepBody,
    tokens.reader,
  );
  if (deepAnswer.data.products.edges[0]?.node.sku !== firstDeep!.sku || deepAnswer.data.products.edges.length !== 20) {
    throw new Error(
      `the deep page starts at ${deepAnswer.data.products.edges[0]?.node.sku}, expected ${firstDeep!.sku}`,
    );
  }
  const equivalence = servers.postgraphile
    ? await compareNestedAnswers(kingdom.url, servers.postgraphile.url, tokens.reader)
    : null;
  if (equivalence)
    progress(
      `nested answers: ${equivalence.equivalent ? 'equivalent' : `DIFFER: ${equivalence.differences.join('; ')}`}`,
    );
  if (servers.enforce) await checkEnforcement(servers.enforce.url, tokens.reader);
  const allocation = await queryOrThrow<{ allocate: { batchReference: string } }>(
    kingdom.url,
    graphqlBody(QUERIES.allocate, { input: { orderId: 'CHECK-1', sku: HOT.sku, quantity: 1 } }),
    tokens.admin,
  );
  if (allocation.data.allocate.batchReference !== HOT.batchReference)
    throw new Error('the check allocation went elsewhere');
  return {
    deep: { position: deepPosition, cursor: deepCursor, firstSku: firstDeep!.sku, body: deepBody },
    equivalence,
  };
};

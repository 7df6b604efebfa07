/**
 * The supergraph of the federation tests: Kingdom as a subgraph (FEDERATION=true, real HTTP, real Postgres) with two
 * products and a reader who may read one of them, the `reviews` subgraph reviewing them (and a product Kingdom does
 * not have), composed from the how-to's supergraph.yaml and served by a gateway applying its router.yaml.
 */
import { SignUpDocument, ViewerDocument } from '../../generated/graphql.ts';
import { SUBGRAPH_ENVIRONMENT, TEST_ROUTER_SECRET } from '../support/router.ts';
import { startTestServer, TEST_ADMIN, type GraphQLResponse, type TestServer } from '../support/server.ts';
import { startReviewsSubgraph, type ReviewsSubgraph } from './reviews-subgraph.ts';
import { composeSupergraph, startRouter, type Router } from './router.ts';

/** The router's environment: the secret it shares with Kingdom (`${env.FEDERATION_ROUTER_SECRET}` in its files). */
export const ROUTER_ENVIRONMENT = { FEDERATION_ROUTER_SECRET: TEST_ROUTER_SECRET };

/** The administrator; a reader holding PRODUCT READ on SKU-A (and, as every member, their own account); nobody. */
export type Caller = 'admin' | 'reader' | 'anonymous';
export const CALLERS: readonly Caller[] = ['admin', 'reader', 'anonymous'];

export const data = <TData>(response: GraphQLResponse<TData>): TData => {
  if (response.status !== 200 || response.body.errors || !response.body.data) {
    throw new Error(JSON.stringify(response.body));
  }
  return response.body.data;
};

export type Supergraph = {
  readonly kingdom: TestServer;
  readonly reviews: ReviewsSubgraph;
  readonly router: Router;
  readonly sdl: string;
  /** Each caller's Authorization header (none for anonymous). */
  readonly headers: Readonly<Record<Caller, Record<string, string>>>;
  /** The admin's and the reader's User ids (global ids). */
  readonly ids: { readonly admin: string; readonly reader: string };
  /** A query sent to a router (the supergraph's own unless another is given) as the caller. */
  viaRouter(caller: Caller, query: string, router?: Router): Promise<GraphQLResponse>;
  /** The same caller asking Kingdom directly. */
  alone(caller: Caller, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  stop(): Promise<void>;
};

const withKingdomFixtures = async (kingdom: TestServer) => {
  for (const [reference, sku] of [
    ['a-1', 'SKU-A'],
    ['b-1', 'SKU-B'],
  ]) {
    data(
      await kingdom.admin('mutation ($input: AddBatchInput!) { addBatch(input: $input) { batch { reference } } }', {
        input: { reference, sku, quantity: 10 },
      }),
    );
  }
  const signedUp = data(
    await kingdom.graphql(SignUpDocument, {
      input: { email: 'reader@example.com', password: 'reader password 123', name: 'Reader' },
    }),
  );
  const reader = signedUp.signUp.user.id;
  data(
    await kingdom.admin('mutation ($input: CreateRoleInput!) { createRole(input: $input) { role { name } } }', {
      input: { name: 'sku-a-reader', policies: [{ resource: 'PRODUCT', actions: ['READ'], selectors: ['SKU-A'] }] },
    }),
  );
  data(
    await kingdom.admin('mutation ($input: GrantRoleInput!) { grantRole(input: $input) { role { name } } }', {
      input: { userId: reader, role: 'sku-a-reader' },
    }),
  );
  const headers = {
    admin: await kingdom.signIn(TEST_ADMIN.email, TEST_ADMIN.password),
    reader: await kingdom.signIn('reader@example.com', 'reader password 123'),
    anonymous: {},
  };
  const admin = data(await kingdom.graphql(ViewerDocument, {}, headers.admin)).viewer!.id;
  return { headers, ids: { admin, reader } };
};

export const startSupergraph = async (): Promise<Supergraph> => {
  const kingdom = await startTestServer({ ...SUBGRAPH_ENVIRONMENT });
  const { headers, ids } = await withKingdomFixtures(kingdom);
  const reviews = await startReviewsSubgraph([
    { id: 'r1', body: 'Bright', rating: 5, sku: 'SKU-A', authorId: ids.admin },
    { id: 'r2', body: 'Sturdy', rating: 3, sku: 'SKU-B', authorId: ids.reader },
    { id: 'r3', body: 'Never arrived', rating: 1, sku: 'GHOST', authorId: ids.reader },
  ]);
  const sdl = await composeSupergraph({ kingdom: kingdom.url, reviews: reviews.url }, ROUTER_ENVIRONMENT);
  const router = await startRouter(sdl, ROUTER_ENVIRONMENT);
  return {
    kingdom,
    reviews,
    router,
    sdl,
    headers,
    ids,
    viaRouter: async (caller, query, through = router) => {
      const response = await fetch(through.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers[caller] },
        body: JSON.stringify({ query }),
      });
      return { status: response.status, body: (await response.json()) as GraphQLResponse['body'] };
    },
    alone: (caller, query, variables) => kingdom.graphql(query, variables, headers[caller]),
    stop: async () => {
      await router.stop();
      await reviews.stop();
      await kingdom.close();
    },
  };
};

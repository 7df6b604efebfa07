/**
 * Only the router may use Kingdom's `_service` and `_entities`, over HTTP on a production build: a caller without
 * the shared secret is refused, a router that does not have it can neither compose nor resolve, and the router's
 * own query plans pass the trusted documents gate while every other unknown operation still stops there.
 */
import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { byId, codesOf, post, PRODUCTION } from '../support/graphql-http.ts';
import { ROUTER_HEADERS, SUBGRAPH_ENVIRONMENT, TEST_ROUTER_SECRET } from '../support/router.ts';
import { startTestServer, TEST_ADMIN, type GraphQLResponse, type TestServer } from '../support/server.ts';
import { composeSupergraph, startRouter } from './router.ts';
import { startSupergraph, type Supergraph } from './supergraph-fixture.ts';

jest.setTimeout(60_000);

const SERVICE = '{ _service { sdl } }';
const ENTITIES = '{ _entities(representations: [{ __typename: "Product", sku: "NONE" }]) { ... on Product { sku } } }';
const LOG_IN = readFileSync(join(import.meta.dirname, '..', '..', '..', 'examples', '01-log-in.graphql'), 'utf8');

describe('a production subgraph', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ ...PRODUCTION, ...SUBGRAPH_ENVIRONMENT });
  });
  afterAll(async () => server?.close());

  it.each([
    ['no secret', {}],
    ['a wrong secret', { 'x-router-secret': `${TEST_ROUTER_SECRET}x` }],
    ['the secret in another header', { 'x-gateway-secret': TEST_ROUTER_SECRET }],
  ])('refuses _service and _entities to a request with %s, signed in or not', async (_case, extra) => {
    const admin = await server.signIn(TEST_ADMIN.email, TEST_ADMIN.password);
    for (const query of [SERVICE, ENTITIES]) {
      for (const caller of [{}, admin]) {
        const answer = await post(server, { query }, { ...caller, ...extra });

        expect(codesOf(answer)).toEqual(['FORBIDDEN']);
        expect(answer.body.data).toBeNull();
      }
    }
  });

  it('answers the router', async () => {
    const service = await post(server, { query: SERVICE }, ROUTER_HEADERS);
    const entities = await post(server, { query: ENTITIES }, ROUTER_HEADERS);

    expect(service.body).toEqual({ data: { _service: { sdl: expect.stringContaining('@key(fields: "sku")') } } });
    expect(entities.body).toEqual({ data: { _entities: [null] } });
  });
});

describe('a production subgraph enforcing trusted documents', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ ...PRODUCTION, ...SUBGRAPH_ENVIRONMENT, TRUSTED_DOCUMENTS: 'enforce' });
  });
  afterAll(async () => server?.close());

  it("runs the router's own operations, which no client manifest holds", async () => {
    const answer = await post(server, { query: ENTITIES }, ROUTER_HEADERS);

    expect(answer).toEqual({ status: 200, body: { data: { _entities: [null] } } });
  });

  it('still refuses any other unknown operation before parsing it, the wrong secret included', async () => {
    for (const headers of [{}, { 'x-router-secret': 'not-the-secret' }] as Array<Record<string, string>>) {
      const answer = await post(server, { query: ENTITIES }, headers);

      expect(answer.status).toBe(400);
      expect(codesOf(answer)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    }
  });

  it("still runs the clients' trusted operations without any secret", async () => {
    const answer = await post(server, {
      variables: { email: TEST_ADMIN.email, password: TEST_ADMIN.password },
      extensions: byId(LOG_IN),
    });

    expect(answer.body.data).toMatchObject({ logIn: { user: { email: TEST_ADMIN.email } } });
  });
});

describe('a router without the shared secret', () => {
  const WRONG = { FEDERATION_ROUTER_SECRET: 'a-router-that-guessed-the-secret-wrongly-0123456789' };
  let supergraph: Supergraph;
  beforeAll(async () => {
    supergraph = await startSupergraph();
  });
  afterAll(async () => supergraph?.stop());

  it('cannot read Kingdom’s SDL to compose', async () => {
    const urls = { kingdom: supergraph.kingdom.url, reviews: supergraph.reviews.url };

    await expect(composeSupergraph(urls, WRONG)).rejects.toThrow(/subgraph kingdom refused its SDL: .*FORBIDDEN/);
  });

  it('cannot resolve Kingdom’s entities, whoever its caller is', async () => {
    const impostor = await startRouter(supergraph.sdl, WRONG);
    try {
      const answer: GraphQLResponse = await supergraph.viaRouter(
        'admin',
        '{ reviews { product { sku description } } }',
        impostor,
      );

      expect(answer.body.data).toEqual({ reviews: [{ product: null }, { product: null }, { product: null }] });
      expect(answer.body.errors?.map((error) => error.extensions?.code)).toContain('FORBIDDEN');
    } finally {
      await impostor.stop();
    }
  });
});

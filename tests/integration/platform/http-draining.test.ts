import { ApolloServer } from '@apollo/server';
import { RecordingLogger } from '../../fakes/recording-logger.ts';
import type { GraphQLContext } from '../../../src/contexts.ts';
import type { KingdomHttpServer } from '../../../src/platform/http/server.ts';
import { startBareHttpServer, stopBareHttpServer } from '../../support/bare-http-server.ts';

// The HTTP shell alone (no database): what a load balancer sees once shutdown starts.
describe('the HTTP server while draining', () => {
  let http: KingdomHttpServer;
  let base: string;
  beforeAll(async () => {
    const apollo = new ApolloServer<GraphQLContext>({
      typeDefs: 'type Query { ok: Boolean }',
      resolvers: { Query: { ok: () => true } },
    });
    await apollo.start();
    const logger = new RecordingLogger();
    const started = await startBareHttpServer({
      apollo,
      createContext: async (_request, requestId) => ({ requestId, logger }) as unknown as GraphQLContext,
    });
    http = started.http;
    base = `http://${started.origin}`;
  });
  afterAll(async () => stopBareHttpServer(http));

  it('answers /readyz 503 "draining" and asks every client to close its connection, while /healthz stays 200', async () => {
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    http.startDraining();

    const ready = await fetch(`${base}/readyz`);
    expect([ready.status, await ready.json(), ready.headers.get('connection')]).toEqual([
      503,
      { status: 'draining' },
      'close',
    ]);
    const health = await fetch(`${base}/healthz`);
    expect([health.status, health.headers.get('connection')]).toEqual([200, 'close']);
    const query = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ ok }' }),
    });
    expect([query.status, await query.json()]).toEqual([200, { data: { ok: true } }]);
  });
});

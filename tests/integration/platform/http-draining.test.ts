import { ApolloServer } from '@apollo/server';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { RecordingLogger } from '../../fakes/recording-logger.ts';
import type { GraphQLContext } from '../../../src/contexts.ts';
import { createHttpServer, type KingdomHttpServer } from '../../../src/platform/http/server.ts';

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
    http = createHttpServer({
      apollo,
      createContext: async (_request, requestId) => ({ requestId, logger }) as unknown as GraphQLContext,
      isReady: async () => true,
      bodyLimitBytes: 1024,
      requestTimeoutMs: 5000,
      headersTimeoutMs: 5000,
      keepAliveTimeoutMs: 5000,
      onError: () => undefined,
      corsOrigins: [],
    });
    http.server.listen(0, '127.0.0.1');
    await once(http.server, 'listening');
    base = `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    http.server.closeAllConnections();
    await new Promise((resolve) => http.server.close(resolve));
  });

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

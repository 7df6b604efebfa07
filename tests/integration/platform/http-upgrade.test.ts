import { ApolloServer } from '@apollo/server';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import type { GraphQLContext } from '../../../src/contexts.ts';
import { createHttpServer, type HttpServerOptions, type KingdomHttpServer } from '../../../src/platform/http/server.ts';

// WebSocket upgrades on the HTTP server's own port (no database): only /graphql is handed to the subscription
// server, and only while the server is not draining.
const servers: KingdomHttpServer[] = [];
afterAll(async () => {
  for (const http of servers) {
    http.server.closeAllConnections();
    await new Promise((resolve) => http.server.close(resolve));
  }
});

const start = async (upgrade?: HttpServerOptions<GraphQLContext>['upgrade']) => {
  const apollo = new ApolloServer<GraphQLContext>({ typeDefs: 'type Query { ok: Boolean }' });
  await apollo.start();
  const http = createHttpServer({
    apollo,
    createContext: async () => ({}) as GraphQLContext,
    isReady: async () => true,
    bodyLimitBytes: 1024,
    requestTimeoutMs: 5000,
    headersTimeoutMs: 5000,
    keepAliveTimeoutMs: 5000,
    onError: () => undefined,
    corsOrigins: [],
    ...(upgrade ? { upgrade } : {}),
  });
  servers.push(http);
  http.server.listen(0, '127.0.0.1');
  await once(http.server, 'listening');
  return { http, base: `ws://127.0.0.1:${(http.server.address() as AddressInfo).port}` };
};

/** 'open', or the HTTP status the upgrade was answered with. */
const upgradeOf = (url: string) =>
  new Promise<string>((resolve) => {
    const socket = new WebSocket(url);
    socket.on('open', () => {
      socket.close();
      resolve('open');
    });
    socket.on('unexpected-response', (_request, response) => resolve(String(response.statusCode)));
    socket.on('error', (error) => resolve(error.message));
  });

describe('WebSocket upgrades of the HTTP server', () => {
  test('/graphql goes to the subscription server; any other path is answered 404', async () => {
    const wss = new WebSocketServer({ noServer: true });
    const paths: string[] = [];
    const { base } = await start((request, socket, head) => {
      paths.push(request.url ?? '');
      wss.handleUpgrade(request, socket, head, () => undefined);
    });

    expect(await upgradeOf(`${base}/graphql`)).toBe('open');
    expect(await upgradeOf(`${base}/graphql/other`)).toBe('404');
    expect(await upgradeOf(`${base}/`)).toBe('404');
    expect(paths).toEqual(['/graphql']);
    wss.close();
  });

  test('while draining, an upgrade of /graphql is answered 503 (the load balancer sends it elsewhere)', async () => {
    const { http, base } = await start(() => {
      throw new Error('must not be called while draining');
    });
    http.startDraining();
    expect(await upgradeOf(`${base}/graphql`)).toBe('503');
  });

  test('without a subscription server, every upgrade is answered 404', async () => {
    const { base } = await start();
    expect(await upgradeOf(`${base}/graphql`)).toBe('404');
  });
});

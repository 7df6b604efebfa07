import { ApolloServer } from '@apollo/server';
import { WebSocket, WebSocketServer } from 'ws';
import type { GraphQLContext } from '../../../src/contexts.ts';
import type { HttpServerOptions, KingdomHttpServer } from '../../../src/platform/http/server.ts';
import { startBareHttpServer, stopBareHttpServer } from '../../support/bare-http-server.ts';

// WebSocket upgrades on the HTTP server's own port (no database): only /graphql is handed to the subscription
// server, and only while the server is not draining.
const servers: KingdomHttpServer[] = [];
afterAll(async () => {
  for (const http of servers) await stopBareHttpServer(http);
});

const start = async (upgrade?: HttpServerOptions<GraphQLContext>['upgrade']) => {
  const apollo = new ApolloServer<GraphQLContext>({ typeDefs: 'type Query { ok: Boolean }' });
  await apollo.start();
  const { http, origin } = await startBareHttpServer({
    apollo,
    createContext: async () => ({}) as GraphQLContext,
    ...(upgrade ? { upgrade } : {}),
  });
  servers.push(http);
  return { http, base: `ws://${origin}` };
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

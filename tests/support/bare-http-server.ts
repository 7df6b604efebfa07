import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { GraphQLContext } from '../../src/contexts.ts';
import { createHttpServer, type HttpServerOptions, type KingdomHttpServer } from '../../src/platform/http/server.ts';

type Options = Pick<HttpServerOptions<GraphQLContext>, 'apollo' | 'createContext'> &
  Partial<HttpServerOptions<GraphQLContext>>;

/**
 * Kingdom's HTTP shell alone, listening on a free port of 127.0.0.1 (no database): always ready, test-sized limits,
 * no CORS, errors dropped; `options` adds or replaces any of them. `origin` is `127.0.0.1:<port>`.
 */
export const startBareHttpServer = async (options: Options): Promise<{ http: KingdomHttpServer; origin: string }> => {
  const http = createHttpServer({
    isReady: async () => true,
    bodyLimitBytes: 1024,
    requestTimeoutMs: 5000,
    headersTimeoutMs: 5000,
    keepAliveTimeoutMs: 5000,
    onError: () => undefined,
    corsOrigins: [],
    ...options,
  });
  http.server.listen(0, '127.0.0.1');
  await once(http.server, 'listening');
  return { http, origin: `127.0.0.1:${(http.server.address() as AddressInfo).port}` };
};

/** Stops a server from startBareHttpServer, open connections included. */
export const stopBareHttpServer = async ({ server }: KingdomHttpServer): Promise<void> => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
};

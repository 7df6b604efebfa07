import type { ApolloServer, HTTPGraphQLRequest, HTTPGraphQLResponse } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RequestContext } from '../graphql/context.ts';
import { appendVary, createCors } from './cors.ts';
import { MalformedJsonError, parseBody, PayloadTooLargeError, readBody } from './body.ts';

export type HttpServerOptions<Context extends RequestContext = RequestContext> = {
  readonly apollo: ApolloServer<Context>;
  readonly createContext: (request: IncomingMessage, requestId: string) => Promise<Context>;
  /** Answers a GraphQL request before Apollo (and before its context is built), or hands it on (undefined). */
  readonly gate?: (request: HTTPGraphQLRequest) => HTTPGraphQLResponse | undefined;
  /** Answers whether the server can do useful work now (database reachable); false turns /readyz to 503. */
  readonly isReady: () => Promise<boolean>;
  readonly bodyLimitBytes: number;
  readonly requestTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  /** Browser origins allowed to call the API (CORS_ORIGINS); empty: no CORS headers, OPTIONS not answered. */
  readonly corsOrigins: readonly string[];
  readonly onError: (error: unknown, requestId: string) => void;
  /** Takes over a WebSocket upgrade of /graphql (subscriptions); without it, or while draining, upgrades are refused. */
  readonly upgrade?: (request: IncomingMessage, socket: Duplex, head: Buffer) => void;
};

export type KingdomHttpServer = {
  readonly server: Server;
  /** Readiness turns 503 and responses ask clients to close their connections; in-flight requests carry on. */
  startDraining(): void;
};

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const sendJson = (response: ServerResponse, status: number, body: unknown): void => {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  response.end(payload);
};

const graphQLError = (message: string, code: string) => ({ errors: [{ message, extensions: { code } }] });

/**
 * A request target's path and query string (`?...`, or ''), split at the first '?' rather than parsed by `new URL`
 * for every request: the routes are exact paths, and Apollo reads the query string itself.
 */
const splitTarget = (target: string): { pathname: string; search: string } => {
  // The absolute form (`http://host/graphql`, what a client sends a proxy) is rare enough to parse.
  if (!target.startsWith('/')) return new URL(target, 'http://localhost');
  const query = target.indexOf('?');
  return query < 0
    ? { pathname: target, search: '' }
    : { pathname: target.slice(0, query), search: target.slice(query) };
};

export const createHttpServer = <Context extends RequestContext>(
  options: HttpServerOptions<Context>,
): KingdomHttpServer => {
  let draining = false;
  // Responses still being produced: when draining starts, each is told to close its connection once sent.
  const inFlight = new Set<ServerResponse>();
  const cors = createCors(options.corsOrigins);

  const serveGraphQL = async (
    request: IncomingMessage,
    response: ServerResponse,
    requestId: string,
    search: string,
  ) => {
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const raw = request.method === 'POST' ? await readBody(request, options.bodyLimitBytes) : '';
    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: request.method ?? 'GET',
      headers,
      search,
      body: parseBody(raw, request.headers['content-type']),
    };
    const result =
      options.gate?.(httpGraphQLRequest) ??
      (await options.apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest,
        context: () => options.createContext(request, requestId),
      }));
    for (const [name, value] of result.headers) {
      if (name === 'vary') for (const item of value.split(',')) appendVary(response, item.trim());
      else response.setHeader(name, value);
    }
    // Answers hold the caller's own data: never stored by a browser or a proxy. (Apollo's cache-control plugin used
    // to send this; it is disabled, see apollo.ts.)
    if (!response.hasHeader('cache-control')) response.setHeader('cache-control', 'no-store');
    response.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      response.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) response.write(chunk);
    response.end();
  };

  const handle = async (request: IncomingMessage, response: ServerResponse, requestId: string) => {
    const url = splitTarget(request.url ?? '/');
    if (draining) response.setHeader('connection', 'close');
    if (cors.handle(request, response)) return;
    if (url.pathname === '/healthz' && request.method === 'GET') return sendJson(response, 200, { status: 'ok' });
    if (url.pathname === '/readyz' && request.method === 'GET') {
      const ready = !draining && (await options.isReady());
      return sendJson(response, ready ? 200 : 503, { status: ready ? 'ready' : draining ? 'draining' : 'unavailable' });
    }
    if (url.pathname === '/graphql') return serveGraphQL(request, response, requestId, url.search);
    return sendJson(response, 404, { error: 'Not found: the API is at /graphql' });
  };

  // Node checks header and request timeouts only every `connectionsCheckingInterval` (30 s by default): check often
  // enough that a slowloris socket is cut close to HTTP_HEADERS_TIMEOUT_MS, not up to 30 s later.
  const connectionsCheckingInterval = Math.min(1000, options.headersTimeoutMs);
  const server = createServer({ connectionsCheckingInterval }, (request, response) => {
    const offered = request.headers['x-request-id'];
    const requestId = typeof offered === 'string' && REQUEST_ID.test(offered) ? offered : randomUUID();
    response.setHeader('x-request-id', requestId);
    inFlight.add(response);
    response.on('close', () => inFlight.delete(response));
    handle(request, response, requestId).catch((error: unknown) => {
      if (response.headersSent) return void response.destroy();
      if (error instanceof PayloadTooLargeError) {
        response.setHeader('connection', 'close');
        return sendJson(response, 413, graphQLError(error.message, 'PAYLOAD_TOO_LARGE'));
      }
      if (error instanceof MalformedJsonError)
        return sendJson(response, 400, graphQLError(error.message, 'BAD_REQUEST'));
      options.onError(error, requestId);
      sendJson(response, 500, graphQLError('Internal server error', 'INTERNAL_SERVER_ERROR'));
    });
  });
  // WebSockets share the port and the path: an upgrade of /graphql goes to the subscription server; any other, or
  // one that comes while the server drains, is answered with a plain HTTP status and the socket closed.
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    const status = pathname !== '/graphql' || !options.upgrade ? 404 : draining ? 503 : 0;
    if (status === 0) return options.upgrade?.(request, socket, head);
    socket.on('error', () => undefined);
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  });

  // Explicit limits instead of Node's defaults, so a slow or stuck client cannot hold a socket forever.
  server.requestTimeout = options.requestTimeoutMs;
  server.headersTimeout = options.headersTimeoutMs;
  server.keepAliveTimeout = options.keepAliveTimeoutMs;

  return {
    server,
    startDraining: () => {
      draining = true;
      for (const response of inFlight) if (!response.headersSent) response.setHeader('connection', 'close');
    },
  };
};

/**
 * GraphQL over WebSocket (the graphql-transport-ws protocol Apollo Client, Apollo Sandbox and graphql-ws speak) on
 * the HTTP server's own port and path: http/server.ts hands it the upgrade requests for /graphql. graphql-ws's
 * `makeServer` runs the protocol; this file is the socket glue (as graphql-ws's `use/ws` starter, with our logger,
 * keep-alive and shutdown) and the policy:
 * - `connection_init` authenticates (admission.ts): 4403 for a bad token, 4429 past WEBSOCKET_CONNECTIONS_PER_USER;
 *   the socket closes with 4403 when the access token expires or its session ends, wherever it ends (session-ends.ts);
 * - each `subscribe` is checked as an HTTP request is (operation.ts), and refused past SUBSCRIPTIONS_PER_CONNECTION
 *   with TOO_MANY_SUBSCRIPTIONS (the socket and its other subscriptions carry on);
 * - each change is executed with its own context (deliveries.ts), once for all the subscriptions to the same
 *   operation with the same variables whose callers it cannot answer differently (`callerKey`);
 * - every WEBSOCKET_KEEP_ALIVE_MS a ping; a socket that did not answer the previous one is dropped;
 * - `close()` (shutdown) closes every socket with 1001 Going Away, which clients answer by reconnecting elsewhere.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  getOperationAST,
  GraphQLError,
  Kind,
  print,
  type ExecutionArgs,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { CloseCode, handleProtocols, makeServer, type ExecutionResult, type SubscribePayload } from 'graphql-ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../../core/ports.ts';
import type { TokenCheck } from '../auth/authenticate.ts';
import type { EndedSessions, RequestContext, Viewer } from '../graphql/context.ts';
import { isUnexpected, originalError } from '../graphql/errors.ts';
import { authorizationOf, createAdmission, FORBIDDEN } from './admission.ts';
import { createSharedDeliveries, subscribeWithFreshContexts } from './deliveries.ts';
import { SUBSCRIPTION_INTERRUPTED } from './hub.ts';
import type { PreparedOperation } from './operation.ts';
import { closeEndedSessions, SESSION_ENDED, stillSignedIn, type SignedInSocket } from './session-ends.ts';

/** One admitted socket, as the GraphQL contexts of its operations see it. */
export type Connection = {
  readonly id: string;
  readonly viewer: Viewer | null;
  readonly clientAddress: string;
};

export type SubscriptionServerOptions = {
  readonly schema: GraphQLSchema;
  /** What a subscribe message may run (operation.ts), or why not. */
  readonly prepare: (payload: SubscribePayload) => PreparedOperation | GraphQLError[];
  readonly check: TokenCheck;
  readonly clientAddress: (request: IncomingMessage) => string;
  /** The GraphQL context of an operation when it subscribes (no `change`), and for each change it is delivered. */
  readonly createContext: (connection: Connection, change?: object) => RequestContext;
  /**
   * Who a delivery of `field` is for, as far as its answer goes: deliveries of one change with the same caller key
   * and the same operation and variables are executed once (server.ts: the user, or their permissions).
   */
  readonly callerKey: (connection: Connection, field: string, change: object) => Promise<string>;
  /** How errors are shown (graphql/errors.ts): domain errors with their code, our own faults masked. */
  readonly formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  readonly subscriptionsPerConnection: number;
  readonly connectionsPerUser: number;
  readonly keepAliveMs: number;
  /** Largest message a client may send (a subscribe document): the HTTP body limit. */
  readonly maxPayloadBytes: number;
  readonly logger: Logger;
};

export type SubscriptionServer = {
  /** Takes over an HTTP upgrade request (http/server.ts checked the path and that the server is not draining). */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes every socket with 1001 Going Away, waits up to `graceMs` for them to close, then cuts the rest. */
  close(graceMs: number): Promise<void>;
  /** Closes (4403) the sockets of sessions that have ended (null: of every session whose token is no longer valid). */
  endSessions(ended: EndedSessions): Promise<void>;
};

type Extra = { readonly socket: WebSocket; readonly request: IncomingMessage; state: ConnectionState };
type ConnectionState = { connection?: Connection; caller?: string; expiry?: NodeJS.Timeout; authorization?: string };

/** Codes this transport gives its own refusals: shown as they are. */
const OWN_CODES = new Set(['PERSISTED_QUERY_NOT_IN_LIST', 'TOO_MANY_SUBSCRIPTIONS', SUBSCRIPTION_INTERRUPTED]);
const GOING_AWAY = 1001;
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** The one root field a subscription selects (graphql-js validated that there is exactly one). */
const subscribedField = ({ document, operationName }: PreparedOperation): string => {
  const selection = getOperationAST(document, operationName)?.selectionSet.selections[0];
  return selection?.kind === Kind.FIELD ? selection.name.value : '';
};

export const createSubscriptionServer = (options: SubscriptionServerOptions): SubscriptionServer => {
  const { logger } = options;
  const admission = createAdmission({ check: options.check, perCaller: options.connectionsPerUser });
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes, handleProtocols });
  /**
   * The connection behind each operation's context, for the contexts of its deliveries, and what makes two
   * deliveries the same execution: the caller and the operation with its variables.
   */
  const operationOf = new WeakMap<
    object,
    { readonly connection: Connection; readonly field: string; readonly key: string }
  >();
  const shared = createSharedDeliveries();
  const states = new Map<WebSocket, ConnectionState>();
  // Bumped by every end of sessions: a socket whose token was checked meanwhile may have missed its own.
  let endings = 0;

  const format = (error: GraphQLError, operationName: string | null | undefined): GraphQLFormattedError => {
    const code = error.extensions.code;
    if (typeof code === 'string' && OWN_CODES.has(code)) return { message: error.message, extensions: { code } };
    if (isUnexpected(error)) {
      logger.error(
        { err: originalError(error), operationName, path: error.path },
        'unexpected error while running a GraphQL subscription',
      );
    }
    return options.formatError(error.toJSON(), error);
  };

  const server = makeServer<Record<string, unknown>, Extra>({
    schema: options.schema,
    async onConnect(ctx) {
      const { socket, request, state } = ctx.extra;
      const clientAddress = options.clientAddress(request);
      const authorization = authorizationOf(ctx.connectionParams);
      const endingsBefore = endings;
      const admitted = await admission.admit(ctx.connectionParams, clientAddress);
      if (!admitted.admitted) {
        socket.close(admitted.code, admitted.reason);
        return false;
      }
      // Closed while its token was being checked: onClose has run already, so its place is given back here.
      if (socket.readyState !== socket.OPEN) {
        admission.release(admitted.caller);
        return false;
      }
      // Sessions ended while the token was checked: the check may have read this one just before it ended.
      const signedIn = typeof authorization === 'string' && admitted.viewer !== null;
      if (signedIn && endings !== endingsBefore && !(await stillSignedIn(authorization, options.check))) {
        admission.release(admitted.caller);
        socket.close(FORBIDDEN, SESSION_ENDED);
        return false;
      }
      if (signedIn) state.authorization = authorization;
      state.caller = admitted.caller;
      state.connection = { id: randomUUID(), viewer: admitted.viewer, clientAddress };
      const expiresAt = admitted.viewer?.expiresAt;
      if (expiresAt) {
        const closing = () => socket.close(FORBIDDEN, 'Forbidden: the access token expired; connect with a fresh one');
        state.expiry = setTimeout(closing, Math.min(Math.max(0, expiresAt.getTime() - Date.now()), LONGEST_TIMER_MS));
        state.expiry.unref();
      }
      return true;
    },
    onSubscribe(ctx, _id, payload) {
      const connection = ctx.extra.state.connection;
      if (!connection) return [new GraphQLError('Unauthorized', { extensions: { code: 'UNAUTHENTICATED' } })];
      if (Object.keys(ctx.subscriptions).length > options.subscriptionsPerConnection) {
        return [
          new GraphQLError('This connection runs as many subscriptions as it may: complete one first', {
            extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
          }),
        ];
      }
      const prepared = options.prepare(payload);
      if (Array.isArray(prepared)) return prepared;
      const contextValue = options.createContext(connection);
      const key = JSON.stringify([prepared.operationName, print(prepared.document), prepared.variableValues]);
      operationOf.set(contextValue, { connection, field: subscribedField(prepared), key });
      return { schema: options.schema, ...prepared, contextValue } satisfies ExecutionArgs;
    },
    subscribe: (args) => {
      const operation = operationOf.get(args.contextValue as object);
      if (!operation) throw new Error('a subscription without its connection');
      const { connection, field, key } = operation;
      return subscribeWithFreshContexts(args, (change) => options.createContext(connection, change as object), {
        deliveries: shared,
        key: async (change) => `${await options.callerKey(connection, field, change)}\u0000${key}`,
      });
    },
    // Only subscriptions are prepared (operation.ts): nothing else ever executes here.
    execute: () => {
      throw new Error('only subscriptions run over WebSocket');
    },
    onNext: (_ctx, _id, payload, _args, result: ExecutionResult) =>
      result.errors
        ? { ...result, errors: result.errors.map((error) => format(error, payload.operationName)) }
        : undefined,
    onError: (_ctx, _id, payload, errors) => errors.map((error) => format(error, payload.operationName)),
    onClose(ctx) {
      const { state } = ctx.extra;
      clearTimeout(state.expiry);
      if (state.caller) admission.release(state.caller);
      state.caller = undefined;
    },
  });

  wss.on('connection', (socket, request) => {
    const state: ConnectionState = {};
    states.set(socket, state);
    let answered = true;
    socket.on('pong', () => (answered = true));
    const keepAlive = setInterval(() => {
      if (!answered) return socket.terminate();
      answered = false;
      socket.ping();
    }, options.keepAliveMs);
    keepAlive.unref();

    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data: Buffer) => {
            handle(data.toString('utf8')).catch((error: unknown) => {
              logger.error({ err: error }, 'unexpected error in a WebSocket message handler');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            });
          }),
      },
      { socket, request, state },
    );
    socket.on('error', (error) => logger.debug({ err: error }, 'WebSocket error'));
    socket.once('close', (code, reason) => {
      states.delete(socket);
      clearInterval(keepAlive);
      closed(code, reason.toString('utf8')).catch((error: unknown) =>
        logger.error({ err: error }, 'unexpected error while closing a WebSocket'),
      );
    });
  });

  return {
    handleUpgrade(request, socket, head) {
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
    },
    async close(graceMs) {
      const open = [...wss.clients];
      const allClosed = Promise.all(open.map((socket) => new Promise((resolve) => socket.once('close', resolve))));
      for (const socket of open) socket.close(GOING_AWAY, 'The server is shutting down');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([allClosed, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
      for (const socket of wss.clients) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
    async endSessions(ended) {
      endings += 1;
      const signedIn: SignedInSocket[] = [];
      for (const [socket, { connection, authorization }] of states) {
        if (!connection?.viewer || authorization === undefined) continue;
        signedIn.push({
          viewer: connection.viewer,
          authorization,
          close: (reason) => socket.close(FORBIDDEN, reason),
        });
      }
      await closeEndedSessions(signedIn, ended, options.check, logger);
    },
  };
};

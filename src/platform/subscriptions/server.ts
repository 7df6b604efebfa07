/**
 * Subscriptions for one API process, put together: the fan-out of committed changes (hub.ts, on the process's
 * LISTEN connection), the checks of each subscribe message (operation.ts) and the WebSocket transport
 * (transport.ts). app.ts calls this once and hands `handleUpgrade` to the HTTP server.
 */
import type { IncomingMessage } from 'node:http';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { Permissions } from '../../core/access.ts';
import type { Logger } from '../../core/ports.ts';
import type { TokenCheck } from '../auth/authenticate.ts';
import type { ChannelListener } from '../database/channels.ts';
import type { EndedSessions, RequestContext, SubscriptionFeeds } from '../graphql/context.ts';
import type { GraphQLProtection } from '../graphql/limits.ts';
import type { TrustedDocuments } from '../graphql/trusted-documents/apollo-options.ts';
import type { UnknownOperation } from '../graphql/trusted-documents/gate.ts';
import { createCallerKey } from './caller-key.ts';
import { createChangeHub } from './hub.ts';
import { createOperationPreparer } from './operation.ts';
import { createSubscriptionServer, type Connection, type SubscriptionServer } from './transport.ts';

type LoadPermissions = (userId: string) => Promise<Permissions>;

export type SubscriptionsOptions = {
  readonly schema: GraphQLSchema;
  readonly feeds: SubscriptionFeeds;
  /** Every resource the contexts declare: what permissions are compared over. */
  readonly resources: readonly string[];
  readonly channels: ChannelListener;
  readonly protection: GraphQLProtection;
  readonly isDevelopment: boolean;
  readonly trustedDocuments: TrustedDocuments;
  readonly observeUnknown: (operation: UnknownOperation) => void;
  readonly check: TokenCheck;
  /** Hears sessions end, on any instance (Application.watchEndedSessions): their sockets are closed. */
  readonly watchEndedSessions: (listener: (ended: EndedSessions) => void) => () => void;
  readonly clientAddress: (request: IncomingMessage) => string;
  readonly permissionsOf: LoadPermissions;
  /** A GraphQL context for an operation of `connection`, whose permissions come from `permissionsOf`. */
  readonly createContext: (connection: Connection, permissionsOf: LoadPermissions) => RequestContext;
  readonly formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  readonly settings: {
    readonly subscriptionsPerConnection: number;
    readonly connectionsPerUser: number;
    readonly keepAliveMs: number;
    readonly maxPayloadBytes: number;
  };
  readonly logger: Logger;
};

export type Subscriptions = Pick<SubscriptionServer, 'handleUpgrade'> & {
  /** Subscriptions this process feeds now. */
  followers(): number;
  /** Closes every socket (1001), then stops following changes. */
  close(graceMs: number): Promise<void>;
};

/**
 * Each delivery loads the caller's permissions afresh (a revoked role applies to the next change), but the
 * subscriptions of one user share that load for one change: a user with ten tabs open costs one query, not ten.
 */
const sharedPerChange = (load: LoadPermissions) => {
  const loaded = new WeakMap<object, Map<string, Promise<Permissions>>>();
  return (change: object): LoadPermissions =>
    (userId) => {
      const byUser = loaded.get(change) ?? new Map<string, Promise<Permissions>>();
      loaded.set(change, byUser);
      const permissions = byUser.get(userId) ?? load(userId);
      byUser.set(userId, permissions);
      return permissions;
    };
};

export const startSubscriptions = (options: SubscriptionsOptions): Subscriptions => {
  const hub = createChangeHub({
    channels: options.channels,
    arguments: new Map(Object.entries(options.feeds).map(([field, feed]) => [field, feed.argument ?? null])),
    logger: options.logger,
  });
  const permissionsFor = sharedPerChange(options.permissionsOf);
  const transport = createSubscriptionServer({
    schema: options.schema,
    prepare: createOperationPreparer(options),
    check: options.check,
    clientAddress: options.clientAddress,
    createContext: (connection, change) =>
      change
        ? options.createContext(connection, permissionsFor(change))
        : { ...options.createContext(connection, options.permissionsOf), changes: hub },
    callerKey: createCallerKey({ feeds: options.feeds, resources: options.resources, permissionsFor }),
    formatError: options.formatError,
    ...options.settings,
    logger: options.logger,
  });
  const stopWatchingSessions = options.watchEndedSessions((ended) => {
    transport.endSessions(ended).catch((error: unknown) => {
      options.logger.error({ err: error }, 'unexpected error while closing the WebSockets of ended sessions');
    });
  });
  return {
    handleUpgrade: (request, socket, head) => transport.handleUpgrade(request, socket, head),
    followers: () => hub.followers(),
    async close(graceMs) {
      stopWatchingSessions();
      await transport.close(graceMs);
      hub.close();
    },
  };
};

/**
 * The shape of a bounded context as the shell sees it: one plain value per context (src/<context>/module.ts),
 * listed once in src/contexts.ts. The composition root maps over that list; nothing in the shell names a context.
 * Like graphql-hive's modules or cosmicpython's bootstrap, but as typed data and functions: no decorators, no
 * reflection, no container to look things up in.
 */
import type { DatabasePool, DatabaseTransactionConnection } from 'slonik';
import type { KeyFormat, Permissions, ReadScope, Resource } from '../core/access.ts';
import type { CommandRoutes, EventRoutes } from '../core/bus.ts';
import type { DomainEvent } from '../core/messages.ts';
import type { Clock, EmailSender, IdGenerator, Logger, UnitOfWork } from '../core/ports.ts';
import type { BoundTasks } from '../core/tasks.ts';
import type { Config } from './config.ts';
import type { ChannelListener } from './database/channels.ts';
import type { RepositoryFactory } from './database/unit-of-work.ts';
import type {
  AccessSubject,
  EndedSessions,
  EntityResolvers,
  NodeFetchers,
  SubscriptionFeeds,
  Viewer,
} from './graphql/context.ts';

/** A resource a context owns: what its instance keys look like (for policies) and how @auth finds one. */
export type ResourceDeclaration = { readonly key: KeyFormat; readonly subject: AccessSubject };

/**
 * The infrastructure the shell lends a context while wiring it. Everything here is the same for every context;
 * what differs (repositories, adapters, views) the context builds itself from these.
 */
export type ContextShell = {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** How handlers wait (a timer in production; tests pass one that returns at once). */
  readonly sleep: (ms: number) => Promise<void>;
  /** The process's pool. Throws when it has none (tests that replace every adapter of a context by fakes). */
  readonly database: () => DatabasePool;
  /**
   * A fresh unit of work over these repositories, for one message: one slonik transaction per attempt at the
   * isolation level the handler asks for, retried on serialization failures, with the outbox enqueueing the
   * background tasks of the events it commits.
   */
  readonly unitOfWork: <Repositories>(repositories: RepositoryFactory<Repositories>) => UnitOfWork<Repositories>;
  /** Where mail goes from inside a transaction: the `sent_emails` table (default), or SMTP. */
  readonly mail: (connection: DatabaseTransactionConnection) => EmailSender;
  /** Every resource the application's contexts declare, with its key format (what policies may name). */
  readonly resources: ReadonlyMap<Resource, KeyFormat>;
  /** Hands events committed outside a command (by a background task) to the in-process subscribers. */
  readonly publish: (events: readonly DomainEvent[]) => Promise<void>;
  /**
   * What other instances' committed transactions announce (LISTEN/NOTIFY), for per-process caches to drop what
   * changed. Null where the process keeps no such connection (the worker, the Lambda handler, most tests): a
   * context must then not cache what another instance could change.
   */
  readonly channels: ChannelListener | null;
};

/**
 * What a context brings once wired. The first four are its share of the bus, the job runner and the request's
 * views; the rest are capabilities the shell needs from exactly one context, whichever it is.
 */
export type WiredContext = {
  readonly commands?: CommandRoutes;
  readonly events?: EventRoutes;
  readonly tasks?: BoundTasks;
  /** Its views for one request, scoped to what the caller may read (`readScope`). */
  readonly views?: (readScope: ReadScope) => object;
  /**
   * Turns a bearer token into the caller; null when the token is not valid (forged, expired, its session ended).
   * Throws only when it cannot tell (the database is down): that is not the client's fault.
   */
  readonly authenticate?: (token: string) => Promise<Viewer | null>;
  /** A user's effective permissions. */
  readonly permissionsOf?: (userId: string) => Promise<Permissions>;
  /**
   * Tells `listener` about sessions as they end, on this instance or (over the API process's LISTEN connection) on
   * any other; returns how to stop. Only the context that authenticates offers it.
   */
  readonly watchEndedSessions?: (listener: (ended: EndedSessions) => void) => () => void;
  /** Run once when the API process starts, before it serves (e.g. make sure the administrator exists). */
  readonly startup?: () => Promise<void>;
};

export type ContextModule = {
  /** The key of its views (`views.inventory`) and of its test overrides (`{ inventory: { views } }`). */
  readonly name: string;
  /** The resources it owns, by the name its SDL adds to `enum Resource`. */
  readonly resources?: Readonly<Record<Resource, ResourceDeclaration>>;
  /** Its resolvers (typed by codegen in the context) and its `node(id:)` fetchers by GraphQL type name. */
  readonly resolvers?: object;
  readonly nodes?: NodeFetchers;
  /**
   * The Subscription fields of its SDL, each with the committed events that feed it and how a subscriber reads a
   * change through its scoped views (platform/subscriptions announces, fans out and delivers them).
   */
  readonly subscriptions?: SubscriptionFeeds;
  /**
   * Its types a supergraph router may reference when the server runs as a federation subgraph (FEDERATION=true):
   * each type's key field and how a batch of keys resolves through its scoped views. The SDL stays free of
   * federation: the shell adds `@key` from these only when the setting is on.
   */
  readonly entities?: EntityResolvers;
  /**
   * Builds its handlers, tasks and views over the shell's infrastructure. `overrides` are its own test seams
   * (a fake unit of work, fake views, fake adapters). Method syntax: each context types its own overrides.
   */
  wire(shell: ContextShell, overrides?: never): WiredContext;
};

/**
 * A context module with its own name and wiring types kept: the list in src/contexts.ts derives the bus, the views
 * and the test overrides from these. Annotate a module with it (`Module<'inventory', typeof wire>`): the types it
 * exposes then never depend on the context's resolvers, which are themselves typed from that list.
 */
export type Module<Name extends string, Wire extends (shell: ContextShell, overrides?: never) => WiredContext> = Omit<
  ContextModule,
  'name' | 'wire'
> & { readonly name: Name; readonly wire: Wire };

import type { Ownership, Permissions } from '../../core/access.ts';
import type { DomainError } from '../../core/errors.ts';
import type { Logger } from '../../core/ports.ts';

/**
 * The authenticated caller, from a verified access token. `expiresAt`, when the token check knows it, is when the
 * token stops being valid: a WebSocket authenticated with it is closed then.
 */
export type Viewer = { readonly userId: string; readonly sessionId: string; readonly expiresAt?: Date };

/**
 * Sessions that have just ended (signed out, ended by a password reset or change, revoked): one session, every
 * session of one user, or null when the context cannot say which (every caller's token must be checked again).
 * A WebSocket whose session ended is closed (subscriptions/transport.ts), whichever instance ended it.
 */
export type EndedSessions =
  | { readonly sessionId: string; readonly userId?: undefined }
  | { readonly userId: string; readonly sessionId?: undefined }
  | null;

/**
 * The authentication rate limit, bound to the caller's address: resolvers of logIn, signUp and refreshSession call
 * it before sending their command. Throws a `RateLimited` DomainError (RATE_LIMITED) when over either limit.
 * `account` is the email as typed (normalised by the limiter); omit it when the attempt names no account.
 */
export type AuthRateLimit = { authAttempt(attempt: { readonly account?: string }): Promise<void> };

/**
 * Who is calling, for authorization. The permissions are asked for on first use and then shared by every field of
 * the request (at most one query per request, never per field; none when the API process holds them in memory),
 * and current: a revoked role stops working on the caller's next request, on every instance.
 */
export type RequestAccess = {
  /** The caller's user id; null when anonymous. */
  readonly principal: string | null;
  permissions(): Promise<Permissions>;
};

/**
 * What the shell puts in every request's GraphQL context. The application's own context type (`GraphQLContext` in
 * src/contexts.ts, codegen's `contextType`) fills in `Bus` and `Views`, typed from the list of bounded contexts:
 * writes go to `bus`, reads to `views`.
 */
export type RequestContext<Bus = unknown, Views = unknown> = {
  readonly bus: Bus;
  readonly views: Views;
  readonly viewer: Viewer | null;
  readonly access: RequestAccess;
  readonly requestId: string;
  readonly logger: Logger;
  /** Where the request came from: the socket peer, or the proxy's X-Forwarded-For hop with TRUST_PROXY. */
  readonly clientAddress: string;
  readonly rateLimit: AuthRateLimit;
  /** Where a subscription follows committed changes: set on WebSocket operations only (subscriptions/). */
  readonly changes?: ChangeSource;
  /**
   * True when the request carried the supergraph router's shared secret (FEDERATION_ROUTER_SECRET, in the header
   * FEDERATION_ROUTER_SECRET_HEADER names); absent or false otherwise. With a secret configured, only such requests
   * may use a subgraph's `_service` and `_entities`.
   */
  readonly presentsRouterSecret?: boolean;
};

/*
 * The two kinds of hooks below are written by contexts against their full GraphQL context (a subtype of
 * RequestContext). They are declared with method syntax on purpose: TypeScript then accepts a hook that asks for
 * the richer context where the shell, which knows no context, only promises a RequestContext.
 */

/**
 * How the @auth transformer learns about one resource's instances, given the key it found in an argument or the
 * parent object. The context that owns the resource declares it (src/<context>/module.ts).
 */
export type AccessSubject = {
  /** Turns an argument's value into the instance key (a User's global id into its UUID); null when malformed. */
  keyFromArgument?(value: string): string | null;
  /** Unscoped: does the instance exist, and does the caller (`context.access`) own it? */
  ownership(key: string, context: RequestContext): Promise<Ownership>;
  /**
   * The very error the context's handlers raise for a missing instance: a denial for a caller who may not read
   * the instance answers it, so "exists but hidden" and "does not exist" look the same. `argumentPath` is the
   * rule's `id` (e.g. "input.name"), for errors that name the offending input.
   */
  notFound?(key: string, argumentPath: string): DomainError;
};

export type AccessSubjects = Readonly<Record<string, AccessSubject>>;

/** How a context refetches one of its Node types by the key inside a global id (`Query.node`), scoped. */
export type NodeFetcher = { fetch(key: string, context: RequestContext): Promise<object | null> };

/** Node fetchers by GraphQL type name (`Product`, `User`...). */
export type NodeFetchers = Readonly<Record<string, NodeFetcher>>;

/**
 * What one committed change is about, as a few short strings (`{ sku: 'OAK-TABLE' }`): changes travel between
 * instances in a Postgres NOTIFY, so they identify what changed and subscribers read it again.
 */
export type Change = Readonly<Record<string, string>>;

/** The changes a subscription follows: those of one field whose `argument` value is `key`. */
export type ChangeSource = { follow(field: string, key: string): AsyncIterableIterator<Change> };

/**
 * A Subscription field fed by committed domain events, declared by the context whose SDL has the field
 * (src/<context>/module.ts `subscriptions`): which events change what its subscribers follow, and how one subscriber
 * reads a change, through its own scoped views. The shell does the rest: announcing the changes when the transaction
 * commits, fanning them out on every instance, checking the field's @auth again before each delivery.
 */
export type SubscriptionFeed = {
  /**
   * The field's argument a subscriber names what it follows by (`sku`); each change holds a value for it. Absent:
   * every subscriber of the field hears every change.
   */
  readonly argument?: string;
  /**
   * For each event type that feeds the field, what the committed event changed (with `argument` among its keys), or
   * null when it changed nothing a subscriber follows. Typed `never`: each context declares its own event types.
   */
  readonly events: Readonly<Record<string, (event: never) => Change | null>>;
  /** What the subscriber receives for one change; null sends nothing (gone, or not readable by this caller). */
  read(change: Change, context: RequestContext): Promise<object | null>;
  /**
   * True when what a subscriber receives depends only on what its caller may do, never on who they are (no field
   * of the payload reads the viewer): subscribers whose permissions are equal, with no OWNER selector among them,
   * then share one execution per change (a thousand clerks of one role cost one read, not a thousand).
   */
  readonly answerDependsOnlyOnPermissions?: boolean;
};

/** Feeds by Subscription field name (`productChanged`). */
export type SubscriptionFeeds = Readonly<Record<string, SubscriptionFeed>>;

/**
 * How a supergraph router's references to one of a context's types resolve (Apollo Federation's `_entities`): the
 * key field the router identifies an instance by, and a lookup of many keys at once through the request's scoped
 * views, the same reads as `node(id:)`, so an instance the caller may not read is null exactly as it is there.
 */
export type EntityResolver = {
  /** The field `@key(fields: ...)` names: one field of the type, a non-null String or ID. */
  readonly key: string;
  /**
   * One result per key, in the order given: the object, or null when nothing has the key or the caller may not
   * read it. Called once with every key of that type the router asked for in the same tick (one request).
   */
  resolve(keys: readonly string[], context: RequestContext): Promise<ReadonlyArray<object | null>>;
};

/** Entity resolvers by GraphQL type name (`Product`, `User`...). */
export type EntityResolvers = Readonly<Record<string, EntityResolver>>;

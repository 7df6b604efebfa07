import type { Ownership, Permissions } from '../../core/access.ts';
import type { DomainError } from '../../core/errors.ts';
import type { Logger } from '../../core/ports.ts';

/** The authenticated caller, from a verified access token. */
export type Viewer = { readonly userId: string; readonly sessionId: string };

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

import type { AccessViews } from '../../access/services/views.ts';
import type { accessCommandHandlers } from '../../access/services/handlers.ts';
import type { Ownership, Permissions, Resource } from '../../core/access.ts';
import type { BoundRoutes, MessageBus } from '../../core/bus.ts';
import type { DomainError } from '../../core/errors.ts';
import type { Logger } from '../../core/ports.ts';
import type { identityCommandHandlers } from '../../identity/services/handlers.ts';
import type { IdentityViews, UserView } from '../../identity/services/views.ts';
import type { JobViews } from '../jobs/failed-jobs.ts';
import type { inventoryCommandHandlers } from '../../inventory/services/handlers.ts';
import type { BatchView, InventoryViews, ProductView } from '../../inventory/services/views.ts';

/** Every command the API can send, with its result type, derived from the contexts' handler maps. */
export type KingdomCommandRoutes = BoundRoutes<
  typeof inventoryCommandHandlers & typeof identityCommandHandlers & typeof accessCommandHandlers
  // generate: command routes
>;
export type KingdomBus = MessageBus<KingdomCommandRoutes>;

export type KingdomViews = {
  readonly inventory: InventoryViews;
  readonly identity: IdentityViews;
  readonly access: AccessViews;
  readonly jobs: JobViews;
  // generate: views
};

/** The authenticated caller, from a verified access token. */
export type Viewer = { readonly userId: string; readonly sessionId: string };

/**
 * The authentication rate limit, bound to the caller's address: resolvers of logIn, signUp and refreshSession call
 * it before sending their command. Throws a `RateLimited` DomainError (RATE_LIMITED) when over either limit.
 * `account` is the email as typed (normalised by the limiter); omit it when the attempt names no account.
 */
export type AuthRateLimit = { authAttempt(attempt: { readonly account?: string }): Promise<void> };

/**
 * Who is calling, for authorization. The permissions are loaded on first use and then shared by every field of
 * the request (one query per request, never per field), and always fresh: a revoked role stops working on the
 * caller's next request.
 */
export type RequestAccess = {
  /** The caller's user id; null when anonymous. */
  readonly principal: string | null;
  permissions(): Promise<Permissions>;
};

/** What every resolver receives (codegen `contextType`): writes go to `bus`, reads to `views`. */
export type GraphQLContext = {
  readonly bus: KingdomBus;
  readonly views: KingdomViews;
  readonly viewer: Viewer | null;
  readonly access: RequestAccess;
  readonly requestId: string;
  readonly logger: Logger;
  /** Where the request came from: the socket peer, or the proxy's X-Forwarded-For hop with TRUST_PROXY. */
  readonly clientAddress: string;
  readonly rateLimit: AuthRateLimit;
};

/** Everything that implements the SDL's `Node` interface, as resolvers see it. */
export type NodeView = ProductView | BatchView | UserView;

/** How each bounded context refetches its Node types by the key inside a global id (`Query.node`). */
export type NodeFetchers = Readonly<Record<string, (key: string, context: GraphQLContext) => Promise<NodeView | null>>>;

/**
 * How the @auth transformer learns about one resource's instances, given the key it found in an argument or the
 * parent object. Each bounded context provides those of its resources (entrypoints), like `NodeFetchers`.
 */
export type AccessSubject = {
  /** Turns an argument's value into the instance key (a User's global id into its UUID); null when malformed. */
  readonly keyFromArgument?: (value: string) => string | null;
  /** Unscoped: does the instance exist, and does the caller (`context.access`) own it? */
  readonly ownership: (key: string, context: GraphQLContext) => Promise<Ownership>;
  /**
   * The very error the context's handlers raise for a missing instance: a denial for a caller who may not read
   * the instance answers it, so "exists but hidden" and "does not exist" look the same. `argumentPath` is the
   * rule's `id` (e.g. "input.name"), for errors that name the offending input.
   */
  readonly notFound?: (key: string, argumentPath: string) => DomainError;
};

export type AccessSubjects = Readonly<Record<Resource, AccessSubject>>;

import type { BoundRoutes, MessageBus } from '../../core/bus.ts';
import type { Logger } from '../../core/ports.ts';
import type { identityCommandHandlers } from '../../identity/services/handlers.ts';
import type { IdentityViews, UserView } from '../../identity/services/views.ts';
import type { inventoryCommandHandlers } from '../../inventory/services/handlers.ts';
import type { BatchView, InventoryViews, ProductView } from '../../inventory/services/views.ts';

/** Every command the API can send, with its result type, derived from the contexts' handler maps. */
export type KingdomCommandRoutes = BoundRoutes<typeof inventoryCommandHandlers & typeof identityCommandHandlers>;
export type KingdomBus = MessageBus<KingdomCommandRoutes>;

export type KingdomViews = { readonly inventory: InventoryViews; readonly identity: IdentityViews };

/** The authenticated caller, from a verified access token. */
export type Viewer = { readonly userId: string; readonly sessionId: string };

/**
 * The authentication rate limit, bound to the caller's address: resolvers of logIn, signUp and refreshSession call
 * it before sending their command. Throws a `RateLimited` DomainError (RATE_LIMITED) when over either limit.
 * `account` is the email as typed (normalised by the limiter); omit it when the attempt names no account.
 */
export type AuthRateLimit = { authAttempt(attempt: { readonly account?: string }): Promise<void> };

/** What every resolver receives (codegen `contextType`): writes go to `bus`, reads to `views`. */
export type GraphQLContext = {
  readonly bus: KingdomBus;
  readonly views: KingdomViews;
  readonly viewer: Viewer | null;
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

import type { BoundRoutes, MessageBus } from '../../core/bus.ts';
import type { Logger } from '../../core/ports.ts';
import type { identityCommandHandlers } from '../../identity/services/handlers.ts';
import type { IdentityViews } from '../../identity/services/views.ts';
import type { inventoryCommandHandlers } from '../../inventory/services/handlers.ts';
import type { InventoryViews } from '../../inventory/services/views.ts';

/** Every command the API can send, with its result type, derived from the contexts' handler maps. */
export type KingdomCommandRoutes = BoundRoutes<typeof inventoryCommandHandlers & typeof identityCommandHandlers>;
export type KingdomBus = MessageBus<KingdomCommandRoutes>;

export type KingdomViews = { readonly inventory: InventoryViews; readonly identity: IdentityViews };

/** The authenticated caller, from a verified access token. */
export type Viewer = { readonly userId: string; readonly sessionId: string };

/** What every resolver receives (codegen `contextType`): writes go to `bus`, reads to `views`. */
export type GraphQLContext = {
  readonly bus: KingdomBus;
  readonly views: KingdomViews;
  readonly viewer: Viewer | null;
  readonly requestId: string;
  readonly logger: Logger;
};

import type { BoundRoutes, MessageBus } from '../../core/bus.ts';
import type { Logger } from '../../core/ports.ts';
import type { inventoryCommandHandlers } from '../../inventory/services/handlers.ts';
import type { InventoryViews } from '../../inventory/services/views.ts';

/** Every command the API can send, with its result type, derived from the contexts' handler maps. */
export type KingdomCommandRoutes = BoundRoutes<typeof inventoryCommandHandlers>;
export type KingdomBus = MessageBus<KingdomCommandRoutes>;

export type KingdomViews = { readonly inventory: InventoryViews };

/** The authenticated caller. Nobody can sign in until the identity context lands, so it is always null. */
export type Viewer = { readonly userId: string };

/** What every resolver receives (codegen `contextType`): writes go to `bus`, reads to `views`. */
export type GraphQLContext = {
  readonly bus: KingdomBus;
  readonly views: KingdomViews;
  readonly viewer: Viewer | null;
  readonly requestId: string;
  readonly logger: Logger;
};

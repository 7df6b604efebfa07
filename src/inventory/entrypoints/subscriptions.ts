/**
 * What feeds inventory's Subscription fields (schema/inventory.graphql): which committed events change what a
 * subscriber follows, and how a subscriber reads a change again, through its own scoped views. The shell announces,
 * fans out and re-checks @auth before every delivery (src/platform/subscriptions).
 */
import type { GraphQLContext } from '../../generated/graphql.ts';
import type { SubscriptionFeeds } from '../../platform/graphql/context.ts';
import type { Allocated, BatchAdded, BatchQuantityChanged, Deallocated } from '../domain/events.ts';

type ProductEvent = BatchAdded | BatchQuantityChanged | Allocated | Deallocated;
const productOf = ({ sku }: ProductEvent) => ({ sku });

export const inventorySubscriptions: SubscriptionFeeds = {
  productChanged: {
    argument: 'sku',
    // Every event that changes a product's version; OutOfStock changes nothing.
    events: { BatchAdded: productOf, BatchQuantityChanged: productOf, Allocated: productOf, Deallocated: productOf },
    read: ({ sku = '' }, { views }: GraphQLContext) => views.inventory.productBySku(sku),
    // Products, batches and allocations show what the caller may read, never who the caller is.
    answerDependsOnlyOnPermissions: true,
  },
  orderAllocations: {
    argument: 'orderId',
    events: { Allocated: ({ orderId, sku }: Allocated) => ({ orderId, sku }) },
    // From the write side: the read model behind Query.allocations trails the commit, and this runs right after it.
    read: ({ orderId = '', sku = '' }, { views }: GraphQLContext) => views.inventory.allocationOfLine(orderId, sku),
    answerDependsOnlyOnPermissions: true,
  },
};

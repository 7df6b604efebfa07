import { toGlobalId } from 'graphql-relay';
import type { Resolvers } from '../../generated/graphql.ts';
import type { NodeFetchers } from '../../platform/graphql/context.ts';

/**
 * Thin by design: writes turn typed arguments into a command for the bus, reads call a view.
 * Validation and rules live in the domain; error codes are assigned in platform/graphql/errors.ts.
 */
export const inventoryResolvers: Resolvers = {
  Query: {
    product: (_parent, { sku }, { views }) => views.inventory.productBySku(sku),
    products: (_parent, { orderBy, ...page }, { views }) =>
      views.inventory.products(page, { field: orderBy?.field ?? 'SKU', direction: orderBy?.direction ?? 'ASC' }),
    allocations: (_parent, { orderId }, { views }) => views.inventory.allocationsOfOrder(orderId),
  },

  Mutation: {
    addBatch: (_parent, { input }, { bus }) =>
      bus.execute({
        type: 'AddBatch',
        reference: input.reference,
        sku: input.sku,
        quantity: input.quantity,
        eta: input.eta ?? null,
      }),
    allocate: (_parent, { input }, { bus }) =>
      bus.execute({ type: 'Allocate', orderId: input.orderId, sku: input.sku, quantity: input.quantity }),
    deallocate: (_parent, { input }, { bus }) => bus.execute({ type: 'Deallocate', orderId: input.orderId, sku: input.sku }),
    changeBatchQuantity: (_parent, { input }, { bus }) =>
      bus.execute({ type: 'ChangeBatchQuantity', reference: input.reference, quantity: input.quantity }),
  },

  AllocatePayload: {
    batch: ({ batchReference }, _args, { views }) =>
      mustExist(views.inventory.batchByReference(batchReference), batchReference),
  },

  ChangeBatchQuantityPayload: {
    batch: ({ reference }, _args, { views }) => mustExist(views.inventory.batchByReference(reference), reference),
    product: ({ sku }, _args, { views }) => mustExist(views.inventory.productBySku(sku), sku),
  },

  AddBatchPayload: {
    batch: ({ reference }, _args, { views }) => mustExist(views.inventory.batchByReference(reference), reference),
    product: ({ sku }, _args, { views }) => mustExist(views.inventory.productBySku(sku), sku),
  },

  Product: {
    id: ({ sku }) => toGlobalId('Product', sku),
    batches: ({ sku }, page, { views }) => views.inventory.batchesOfProduct(sku, page),
    availableQuantity: ({ sku }, _args, { views }) => views.inventory.availableQuantityOfProduct(sku),
  },

  Batch: {
    id: ({ reference }) => toGlobalId('Batch', reference),
    availableQuantity: ({ purchasedQuantity, allocatedQuantity }) => purchasedQuantity - allocatedQuantity,
    product: ({ sku }, _args, { views }) => mustExist(views.inventory.productBySku(sku), sku),
  },

  Allocation: {
    batch: ({ batchReference }, _args, { views }) =>
      mustExist(views.inventory.batchByReference(batchReference), batchReference),
  },

  ProductConnection: { totalCount: (page) => page.totalCount() },
  BatchConnection: { totalCount: (page) => page.totalCount() },
};

/** `node(id:)` refetches inventory objects by the key inside their global id. */
export const inventoryNodes: NodeFetchers = {
  Product: (sku, { views }) => views.inventory.productBySku(sku),
  Batch: (reference, { views }) => views.inventory.batchByReference(reference),
};

/** Rows referenced by committed data cannot vanish (no deletes yet); if one does, that is a bug, not a null. */
const mustExist = async <T>(row: Promise<T | null>, key: string): Promise<T> => {
  const found = await row;
  if (found === null) throw new Error(`Inventory row ${key} vanished while it was being read`);
  return found;
};

import type { Resolvers } from '../../generated/graphql.ts';

/**
 * Thin by design: writes turn typed arguments into a command for the bus, reads call a view.
 * Validation and rules live in the domain; error codes are assigned in platform/graphql/errors.ts.
 */
export const inventoryResolvers: Resolvers = {
  Query: {
    product: (_parent, { sku }, { views }) => views.inventory.productBySku(sku),
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
  },

  AddBatchPayload: {
    batch: ({ reference }, _args, { views }) => mustExist(views.inventory.batchByReference(reference), reference),
    product: ({ sku }, _args, { views }) => mustExist(views.inventory.productBySku(sku), sku),
  },

  Product: {
    batches: ({ sku }, _args, { views }) => views.inventory.batchesOfProduct(sku),
  },

  Batch: {
    product: ({ sku }, _args, { views }) => mustExist(views.inventory.productBySku(sku), sku),
  },
};

/** Rows referenced by committed data cannot vanish (no deletes yet); if one does, that is a bug, not a null. */
const mustExist = async <T>(row: Promise<T | null>, key: string): Promise<T> => {
  const found = await row;
  if (found === null) throw new Error(`Inventory row ${key} vanished while it was being read`);
  return found;
};

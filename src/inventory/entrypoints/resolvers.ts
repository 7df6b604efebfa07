import { DomainError } from '../../core/errors.ts';
import { toGlobalId } from '../../core/global-id.ts';
import type { GraphQLContext, Resolvers } from '../../generated/graphql.ts';
import type { EntityResolvers, NodeFetchers } from '../../platform/graphql/context.ts';
import { selectionOf } from '../../platform/graphql/selection.ts';
import { unitsAvailable } from '../domain/product.ts';

/**
 * Thin by design: writes turn typed arguments into a command for the bus, reads call a view.
 * Validation and rules live in the domain; error codes are assigned in platform/graphql/errors.ts.
 */
export const inventoryResolvers: Resolvers = {
  Query: {
    product: (_parent, { sku }, { views }) => views.inventory.productBySku(sku),
    // What is selected beneath the products lets the view fetch their batches in the same statement.
    products: (_parent, { orderBy, ...page }, { views }, info) =>
      views.inventory.products(
        page,
        { field: orderBy?.field ?? 'SKU', direction: orderBy?.direction ?? 'ASC' },
        selectionOf(info),
      ),
    allocations: (_parent, { orderId }, { views }) => views.inventory.allocationsOfOrder(orderId),
  },

  Mutation: {
    addBatch: (_parent, { input }, { bus, access }) =>
      bus.execute({
        type: 'AddBatch',
        reference: input.reference,
        sku: input.sku,
        quantity: input.quantity,
        eta: input.eta ?? null,
        ownerId: access.principal,
      }),
    allocate: (_parent, { input }, { bus }) =>
      bus.execute({
        type: 'Allocate',
        orderId: input.orderId,
        sku: input.sku,
        quantity: input.quantity,
        expectedVersion: input.expectedVersion ?? null,
      }),
    deallocate: (_parent, { input }, { bus }) =>
      bus.execute({
        type: 'Deallocate',
        orderId: input.orderId,
        sku: input.sku,
        expectedVersion: input.expectedVersion ?? null,
      }),
    changeBatchQuantity: (_parent, { input }, { bus }) =>
      bus.execute({
        type: 'ChangeBatchQuantity',
        reference: input.reference,
        quantity: input.quantity,
        expectedVersion: input.expectedVersion ?? null,
      }),
  },

  AllocatePayload: {
    batch: ({ batchReference }, _args, { views }) =>
      readable(views.inventory.batchByReference(batchReference), 'batch'),
  },

  ChangeBatchQuantityPayload: {
    batch: ({ reference }, _args, { views }) => readable(views.inventory.batchByReference(reference), 'batch'),
    product: ({ sku }, _args, { views }) => readable(views.inventory.productBySku(sku), 'product'),
  },

  AddBatchPayload: {
    batch: ({ reference }, _args, { views }) => readable(views.inventory.batchByReference(reference), 'batch'),
    product: ({ sku }, _args, { views }) => readable(views.inventory.productBySku(sku), 'product'),
  },

  Product: {
    id: ({ sku }) => toGlobalId('Product', sku),
    batches: (product, page, { views }) => views.inventory.batchesOfProduct(product, page),
    availableQuantity: (product, _args, { views }) => views.inventory.availableQuantityOfProduct(product),
  },

  Batch: {
    id: ({ reference }) => toGlobalId('Batch', reference),
    availableQuantity: (batch) => unitsAvailable(batch),
    product: ({ sku }, _args, { views }) => readable(views.inventory.productBySku(sku), 'product'),
  },

  Allocation: {
    batch: ({ batchReference }, _args, { views }) =>
      readable(views.inventory.batchByReference(batchReference), 'batch'),
  },

  ProductConnection: { totalCount: (page) => page.totalCount() },
  BatchConnection: { totalCount: (page) => page.totalCount() },
};

/** `node(id:)` refetches inventory objects by the key inside their global id, through the scoped views. */
export const inventoryNodes: NodeFetchers = {
  Product: { fetch: (sku, { views }: GraphQLContext) => views.inventory.productBySku(sku) },
  Batch: { fetch: (reference, { views }: GraphQLContext) => views.inventory.batchByReference(reference) },
};

/**
 * A supergraph router's references to products (by SKU) and batches (by reference), each batch of them read in one
 * statement through the same scoped views as `node(id:)`: what the caller may not read is null, as there.
 */
export const inventoryEntities: EntityResolvers = {
  Product: { key: 'sku', resolve: (skus, { views }: GraphQLContext) => views.inventory.productsBySku(skus) },
  Batch: {
    key: 'reference',
    resolve: (references, { views }: GraphQLContext) => views.inventory.batchesByReference(references),
  },
};

/**
 * A non-null field whose row another object refers to. Such rows cannot vanish (nothing deletes them), so a null
 * from a scoped view means the caller may not read it: a product they may read can have batches they may not, and
 * a user may add a batch to a product they may not read. Forbidden, not an internal error. (A row that did vanish
 * right after a committed write would be reported the same way; the views cannot tell the two apart.)
 */
const readable = async <T>(row: Promise<T | null>, thing: 'product' | 'batch'): Promise<T> => {
  const found = await row;
  if (found === null) throw new DomainError('Forbidden', 'Forbidden', `You may not read this ${thing}`);
  return found;
};

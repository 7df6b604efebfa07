import { readEverything, type ReadScope, type Scope } from '../../src/core/access.ts';
import { connectionFromSortedArray, pageRequest } from '../../src/core/pagination.ts';
import { allocatedQuantity, productAvailableQuantity, type Product } from '../../src/inventory/domain/product.ts';
import type { AllocationView, BatchView, InventoryViews, ProductView } from '../../src/inventory/services/views.ts';
import type { FakeInventoryUnitOfWork } from './fake-unit-of-work.ts';

/** The scope's rule (src/inventory/adapters/scope-sql.ts) in memory: listed keys, or rows of owned products. */
const inScope = (scope: Scope, key: string, product: Product): boolean =>
  scope.every || scope.keys.includes(key) || (scope.ownerId !== null && product.ownerId === scope.ownerId);

/**
 * The read side over the fake unit of work's committed products; every row was "created" at `createdAt`. Pages use
 * the same core paging as the real views, over the in-memory rows, and the same read scopes (everything unless
 * told otherwise). Allocations are read straight from the products, so unlike the real read model they never
 * trail the write.
 */
export const createFakeInventoryViews = (
  store: FakeInventoryUnitOfWork,
  createdAt: Date = new Date('2026-01-01T00:00:00.000Z'),
  readScope: ReadScope = readEverything,
): InventoryViews => {
  const readable = async (): Promise<Product[]> => {
    const scope = await readScope('PRODUCT');
    return [...store.products.values()].filter((product) => inScope(scope, product.sku, product));
  };
  const products = async (): Promise<ProductView[]> =>
    (await readable())
      .map(({ sku, description, version }) => ({ sku, description, version, createdAt }))
      .sort((a, b) => a.sku.localeCompare(b.sku));
  const batches = async (): Promise<BatchView[]> => {
    const scope = await readScope('BATCH');
    return [...store.products.values()].flatMap((product) =>
      product.batches
        .filter((batch) => inScope(scope, batch.reference, product))
        .map((batch) => ({
          reference: batch.reference,
          sku: batch.sku,
          purchasedQuantity: batch.purchasedQuantity,
          eta: batch.eta,
          createdAt,
          allocatedQuantity: allocatedQuantity(batch),
        })),
    );
  };
  const allocations = async (): Promise<AllocationView[]> =>
    (await readable()).flatMap((product) =>
      product.batches.flatMap((batch) =>
        batch.allocations.map(({ orderId }) => ({ orderId, sku: product.sku, batchReference: batch.reference })),
      ),
    );
  return {
    async productBySku(sku) {
      return (await products()).find((product) => product.sku === sku) ?? null;
    },
    async batchByReference(reference) {
      return (await batches()).find((batch) => batch.reference === reference) ?? null;
    },
    async productsBySku(skus) {
      const readable = await products();
      return skus.map((sku) => readable.find((product) => product.sku === sku) ?? null);
    },
    async batchesByReference(references) {
      const readable = await batches();
      return references.map((reference) => readable.find((batch) => batch.reference === reference) ?? null);
    },
    async products(args, order) {
      // Every fake row has the same createdAt, so both orders come down to the SKU, in the order's direction.
      const all = await products();
      const request = pageRequest(`products:${order.field}:${order.direction}`, args, 2);
      return {
        ...connectionFromSortedArray(all, request, (product) => [product.sku, product.sku], order.direction),
        totalCount: async () => all.length,
      };
    },
    async batchesOfProduct({ sku }, args) {
      // In stock (null eta) first, then by eta; ISO dates sort as strings.
      const all = (await batches())
        .filter((batch) => batch.sku === sku)
        .sort((a, b) => (a.eta ?? '').localeCompare(b.eta ?? '') || a.reference.localeCompare(b.reference));
      const request = pageRequest(`batches:${sku}`, args, 2);
      return {
        ...connectionFromSortedArray(all, request, (batch) => [batch.eta ?? '', batch.reference]),
        totalCount: async () => all.length,
      };
    },
    async availableQuantityOfProduct({ sku }) {
      const product = store.products.get(sku);
      return product ? productAvailableQuantity(product) : 0;
    },
    async allocationsOfOrder(orderId) {
      return (await allocations())
        .filter((allocation) => allocation.orderId === orderId)
        .sort((a, b) => a.sku.localeCompare(b.sku));
    },
    async allocationOfLine(orderId, sku) {
      return (await allocations()).find((each) => each.orderId === orderId && each.sku === sku) ?? null;
    },
    async productOwner(sku) {
      const product = store.products.get(sku);
      return product ? { ownerId: product.ownerId } : null;
    },
    async batchOwner(reference) {
      const product = [...store.products.values()].find((each) =>
        each.batches.some((batch) => batch.reference === reference),
      );
      return product ? { ownerId: product.ownerId } : null;
    },
  };
};

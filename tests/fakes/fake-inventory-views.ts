import { connectionFromSortedArray, pageRequest } from '../../src/core/pagination.ts';
import type { BatchView, InventoryViews, ProductView } from '../../src/inventory/services/views.ts';
import type { FakeInventoryUnitOfWork } from './fake-unit-of-work.ts';

/**
 * The read side over the fake unit of work's committed products; every row was "created" at `createdAt`. Pages use
 * the same core paging as the real views, over the in-memory rows.
 */
export const createFakeInventoryViews = (
  store: FakeInventoryUnitOfWork,
  createdAt: Date = new Date('2026-01-01T00:00:00.000Z'),
): InventoryViews => {
  const products = (): ProductView[] =>
    [...store.products.values()]
      .map(({ sku, description, version }) => ({ sku, description, version, createdAt }))
      .sort((a, b) => a.sku.localeCompare(b.sku));
  const batches = (): BatchView[] =>
    [...store.products.values()].flatMap((product) =>
      product.batches.map(({ reference, sku, purchasedQuantity, eta }) => ({ reference, sku, purchasedQuantity, eta, createdAt })),
    );
  return {
    async productBySku(sku) {
      return products().find((product) => product.sku === sku) ?? null;
    },
    async batchByReference(reference) {
      return batches().find((batch) => batch.reference === reference) ?? null;
    },
    async products(args, order) {
      const all = order.direction === 'ASC' ? products() : products().reverse();
      const request = pageRequest(`products:${order.field}:${order.direction}`, args, {}, 2);
      return { ...connectionFromSortedArray(all, request, (product) => [product.sku, product.sku]), totalCount: async () => all.length };
    },
    async batchesOfProduct(sku, args) {
      // In stock (null eta) first, then by eta; ISO dates sort as strings.
      const all = batches()
        .filter((batch) => batch.sku === sku)
        .sort((a, b) => (a.eta ?? '').localeCompare(b.eta ?? '') || a.reference.localeCompare(b.reference));
      const request = pageRequest(`batches:${sku}`, args, {}, 2);
      return {
        ...connectionFromSortedArray(all, request, (batch) => [batch.eta ?? '', batch.reference]),
        totalCount: async () => all.length,
      };
    },
  };
};

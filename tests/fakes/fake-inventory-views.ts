import type { BatchView, InventoryViews, ProductView } from '../../src/inventory/services/views.ts';
import type { FakeInventoryUnitOfWork } from './fake-unit-of-work.ts';

/** The read side over the fake unit of work's committed products; every row was "created" at `createdAt`. */
export const createFakeInventoryViews = (
  store: FakeInventoryUnitOfWork,
  createdAt: Date = new Date('2026-01-01T00:00:00.000Z'),
): InventoryViews => {
  const batches = (): BatchView[] =>
    [...store.products.values()].flatMap((product) =>
      product.batches.map(({ reference, sku, purchasedQuantity, eta }) => ({ reference, sku, purchasedQuantity, eta, createdAt })),
    );
  return {
    async productBySku(sku): Promise<ProductView | null> {
      const product = store.products.get(sku);
      return product ? { sku: product.sku, description: product.description, version: product.version, createdAt } : null;
    },
    async batchByReference(reference) {
      return batches().find((batch) => batch.reference === reference) ?? null;
    },
    async batchesOfProduct(sku) {
      // In stock (null eta) first, then by eta; ISO dates sort as strings.
      return batches()
        .filter((batch) => batch.sku === sku)
        .sort((a, b) => (a.eta ?? '').localeCompare(b.eta ?? ''));
    },
  };
};

import { DomainError } from '../../core/errors.ts';
import type { InventoryEvent } from './events.ts';
import { calendarDate, identifier, quantity } from './values.ts';

export type Batch = {
  readonly reference: string;
  readonly sku: string;
  readonly purchasedQuantity: number;
  /** null: in the warehouse already */
  readonly eta: string | null;
};

/**
 * The aggregate: every change to a product's batches goes through these functions, which return a new
 * product carrying the events the change raised. `version` is the one the product was loaded at (0 when new);
 * the repository bumps it by one per committed change and refuses to save over a newer one.
 */
export type Product = {
  readonly sku: string;
  readonly description: string;
  readonly version: number;
  readonly batches: readonly Batch[];
  readonly events: readonly InventoryEvent[];
};

export const newProduct = (sku: string, description = ''): Product => ({
  sku: identifier('sku', sku),
  description,
  version: 0,
  batches: [],
  events: [],
});

export type NewBatch = { readonly reference: string; readonly quantity: number; readonly eta: string | null };

export const addBatch = (product: Product, batch: NewBatch): Product => {
  const reference = identifier('reference', batch.reference);
  if (product.batches.some((existing) => existing.reference === reference)) {
    throw new DomainError('InvalidInput', 'DuplicateBatch', `Batch ${reference} already exists`, { field: 'reference' });
  }
  const added: Batch = {
    reference,
    sku: product.sku,
    purchasedQuantity: quantity('quantity', batch.quantity),
    eta: calendarDate('eta', batch.eta),
  };
  return {
    ...product,
    batches: [...product.batches, added],
    events: [
      ...product.events,
      { type: 'BatchAdded', sku: product.sku, reference, quantity: added.purchasedQuantity, eta: added.eta },
    ],
  };
};

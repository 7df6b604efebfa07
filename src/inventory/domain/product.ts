import { batchNotFound, duplicateBatch } from './errors.ts';
import type { BatchQuantityChanged, Deallocated, InventoryEvent } from './events.ts';
import { calendarDate, identifier, quantity } from './values.ts';

/** Units of a batch held for one order line (the line's SKU is the batch's). */
export type Allocation = {
  readonly orderId: string;
  readonly quantity: number;
  /** Orders the allocations: when a batch shrinks, the most recent go first. */
  readonly allocatedAt: Date;
};

export type Batch = {
  readonly reference: string;
  readonly sku: string;
  readonly purchasedQuantity: number;
  /** null: in the warehouse already */
  readonly eta: string | null;
  /**
   * The order lines the decision at hand needs, in the order they were made: a repository loads the lines of the
   * order being allocated or released, or every line of a batch being resized, never the product's whole history.
   */
  readonly allocations: readonly Allocation[];
  /** Units held by this batch's other lines, those not loaded. With the loaded ones, never more than purchased. */
  readonly unloadedQuantity: number;
};

/**
 * The aggregate: every change to a product's batches and allocations goes through these functions (and those of
 * allocation.ts), which return a new product carrying the events the change raised; a change that changes nothing
 * returns the product it was given. `version` is the one the product was loaded at (0 when new); the repository
 * bumps it by one per committed change and refuses to save over a newer one.
 */
export type Product = {
  readonly sku: string;
  readonly description: string;
  readonly version: number;
  /**
   * The user who created the product (with its first batch), for OWNER selectors; null when nobody did (products
   * older than ownership, or made outside a request). Set once: adding batches later never changes it.
   */
  readonly ownerId: string | null;
  /** Oldest first. */
  readonly batches: readonly Batch[];
  readonly events: readonly InventoryEvent[];
};

export const newProduct = (sku: string, description = '', ownerId: string | null = null): Product => ({
  sku: identifier('sku', sku),
  description,
  version: 0,
  ownerId,
  batches: [],
  events: [],
});

const sum = (allocations: readonly Allocation[]): number =>
  allocations.reduce((total, each) => total + each.quantity, 0);

/** Units held by every line of the batch, loaded or not. */
export const allocatedQuantity = (batch: Batch): number => batch.unloadedQuantity + sum(batch.allocations);

/**
 * Units of a batch that no order line holds yet: the one definition, used by the model (allocation), the views
 * (a product's availability) and the API (Batch.availableQuantity).
 */
export const unitsAvailable = (batch: { readonly purchasedQuantity: number; readonly allocatedQuantity: number }) =>
  batch.purchasedQuantity - batch.allocatedQuantity;

export const availableQuantity = (batch: Batch): number =>
  unitsAvailable({ purchasedQuantity: batch.purchasedQuantity, allocatedQuantity: allocatedQuantity(batch) });

export const productAvailableQuantity = (product: Product): number =>
  product.batches.reduce((total, batch) => total + availableQuantity(batch), 0);

export type NewBatch = { readonly reference: string; readonly quantity: number; readonly eta: string | null };

export const addBatch = (product: Product, batch: NewBatch): Product => {
  const reference = identifier('reference', batch.reference);
  if (product.batches.some((existing) => existing.reference === reference)) throw duplicateBatch(reference);
  const added: Batch = {
    reference,
    sku: product.sku,
    purchasedQuantity: quantity('quantity', batch.quantity),
    eta: calendarDate('eta', batch.eta),
    allocations: [],
    unloadedQuantity: 0,
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

/**
 * The allocations to give up, most recent first, so that the rest fit in `purchasedQuantity`. Needs every line of
 * the batch loaded (its repository loads them all for this decision): only loaded lines can be evicted.
 */
const evictions = (batch: Batch, purchasedQuantity: number): Allocation[] => {
  // A stable sort: of two allocations made in the same instant, the later in the list counts as the more recent.
  const oldestFirst = [...batch.allocations].sort((a, b) => a.allocatedAt.getTime() - b.allocatedAt.getTime());
  const evicted: Allocation[] = [];
  for (let held = allocatedQuantity(batch); held > purchasedQuantity;) {
    const mostRecent = oldestFirst.pop();
    if (!mostRecent) break;
    evicted.push(mostRecent);
    held -= mostRecent.quantity;
  }
  return evicted;
};

/**
 * Sets how many units the batch holds, raising BatchQuantityChanged. While it holds more allocated units than that,
 * its most recent allocation is removed, raising Deallocated ('batch-shrunk') so the line can be allocated again
 * elsewhere.
 */
export const changeBatchQuantity = (product: Product, reference: string, newQuantity: number): Product => {
  const purchasedQuantity = quantity('quantity', newQuantity);
  const batch = product.batches.find((each) => each.reference === reference);
  if (!batch) throw batchNotFound(reference);
  if (batch.purchasedQuantity === purchasedQuantity) return product;
  const evicted = evictions(batch, purchasedQuantity);
  const changed: Batch = {
    ...batch,
    purchasedQuantity,
    allocations: batch.allocations.filter((allocation) => !evicted.includes(allocation)),
  };
  const deallocated = evicted.map((allocation): Deallocated => ({
    type: 'Deallocated',
    orderId: allocation.orderId,
    sku: product.sku,
    quantity: allocation.quantity,
    batchReference: reference,
    reason: 'batch-shrunk',
  }));
  const resized: BatchQuantityChanged = {
    type: 'BatchQuantityChanged',
    sku: product.sku,
    reference,
    quantity: purchasedQuantity,
  };
  return {
    ...product,
    batches: product.batches.map((each) => (each === batch ? changed : each)),
    events: [...product.events, resized, ...deallocated],
  };
};

import { allocationNotFound } from './errors.ts';
import type { OutOfStock } from './events.ts';
import { availableQuantity, type Batch, type Product } from './product.ts';
import { identifier, quantity } from './values.ts';

/** What an order wants of one product. (orderId, sku) names the line: an order has at most one per product. */
export type OrderLine = { readonly orderId: string; readonly sku: string; readonly quantity: number };

/** Whether the line found a batch; either way the product may carry a new event (Allocated or OutOfStock). */
export type AllocationOutcome =
  | { readonly kind: 'allocated'; readonly product: Product; readonly reference: string }
  | { readonly kind: 'out-of-stock'; readonly product: Product };

export type Deallocation = { readonly product: Product; readonly reference: string };

/** Checks every field of a line, e.g. before loading anything for it. */
export const orderLine = (line: OrderLine): OrderLine => ({
  orderId: identifier('orderId', line.orderId),
  sku: identifier('sku', line.sku),
  quantity: quantity('quantity', line.quantity),
});

/** The batch holding the order's line for this product, if any (the order's lines must have been loaded). */
export const batchOfOrder = (product: Product, orderId: string): Batch | undefined =>
  product.batches.find((batch) => batch.allocations.some((allocation) => allocation.orderId === orderId));

/**
 * Batches in the order allocation tries them: in the warehouse first, then the soonest to arrive (ISO dates
 * sort as text), then the oldest. `batches` is oldest first, so a stable sort keeps that last rule by itself.
 */
export const preferredBatches = (product: Product): Batch[] =>
  [...product.batches].sort((a, b) => {
    if (a.eta === b.eta) return 0;
    if (a.eta === null || b.eta === null) return a.eta === null ? -1 : 1;
    return a.eta < b.eta ? -1 : 1;
  });

/**
 * Allocates the whole line to the first preferred batch with room for it (a line is never split), raising
 * Allocated. A line already allocated stays where it is and nothing is raised, whatever quantity is asked again,
 * so a retried request is harmless. When no batch has room, the product only gains an OutOfStock event: whether
 * that is an error is the caller's decision.
 */
export const allocate = (product: Product, line: OrderLine, now: Date): AllocationOutcome => {
  const { orderId, sku, quantity: wanted } = orderLine(line);
  // The caller loads the product by the line's SKU; anything else is a bug, not a client's mistake.
  if (sku !== product.sku) throw new Error(`An order line for ${sku} cannot be allocated from product ${product.sku}`);
  const holding = batchOfOrder(product, orderId);
  if (holding) return { kind: 'allocated', product, reference: holding.reference };

  const batch = preferredBatches(product).find((each) => availableQuantity(each) >= wanted);
  if (!batch) {
    const event: OutOfStock = { type: 'OutOfStock', sku, orderId, quantity: wanted };
    return { kind: 'out-of-stock', product: { ...product, events: [...product.events, event] } };
  }
  const allocated: Batch = {
    ...batch,
    allocations: [...batch.allocations, { orderId, quantity: wanted, allocatedAt: now }],
  };
  return {
    kind: 'allocated',
    reference: batch.reference,
    product: {
      ...product,
      batches: product.batches.map((each) => (each === batch ? allocated : each)),
      events: [
        ...product.events,
        { type: 'Allocated', orderId, sku, quantity: wanted, batchReference: batch.reference },
      ],
    },
  };
};

/** Gives back the units of the order's line, raising Deallocated ('cancelled'). */
export const deallocate = (product: Product, orderId: string): Deallocation => {
  const batch = batchOfOrder(product, identifier('orderId', orderId));
  const allocation = batch?.allocations.find((each) => each.orderId === orderId);
  if (!batch || !allocation) throw allocationNotFound(orderId, product.sku);
  const freed: Batch = { ...batch, allocations: batch.allocations.filter((each) => each !== allocation) };
  return {
    reference: batch.reference,
    product: {
      ...product,
      batches: product.batches.map((each) => (each === batch ? freed : each)),
      events: [
        ...product.events,
        {
          type: 'Deallocated',
          orderId,
          sku: product.sku,
          quantity: allocation.quantity,
          batchReference: batch.reference,
          reason: 'cancelled',
        },
      ],
    },
  };
};

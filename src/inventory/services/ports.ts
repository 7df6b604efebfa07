import type { Clock, Inbox, UnitOfWork } from '../../core/ports.ts';
import type { Product } from '../domain/product.ts';

/**
 * Loads and saves aggregates (a product with its batches, and the order lines a decision needs) inside the current
 * unit of work. Loading a product locks it against its other writers until the unit of work ends: they wait their
 * turn rather than fail. The contract of `save(product)`, for a product loaded in this transaction (or new, at
 * version 0):
 * - it writes whatever differs from what was loaded (the product row, new batches, changed batch quantities,
 *   allocations added or removed) and bumps the stored version by exactly one, refusing with a
 *   ConcurrentUpdateError when the stored version is no longer `product.version` (the unit of work retries it);
 * - when nothing differs (an idempotent repeat, or an OutOfStock verdict), it writes nothing, neither checks nor
 *   bumps the version: the verdict was made on the state its lock protects;
 * - in both cases it hands the product's new events to the unit of work, which publishes them once the
 *   transaction commits (so an OutOfStock event commits without a version bump).
 */
export type ProductRepository = {
  /**
   * The product with its batches (each with the units its lines hold) and, of its order lines, only those of
   * `lines.ofOrder`: allocating or releasing an order's line decides on nothing else, whatever the product's history.
   */
  get(sku: string, lines?: { readonly ofOrder: string }): Promise<Product | null>;
  /**
   * The product owning the batch with this reference (references are unique across products), with every line of
   * that batch (resizing it may evict some) and none of the others.
   */
  getByBatchReference(reference: string): Promise<Product | null>;
  save(product: Product): Promise<void>;
};

/** Writes the allocations read model; only its event handlers (read-model.ts) use it. */
export type AllocationsViewWriter = {
  put(line: { orderId: string; sku: string; batchReference: string }): Promise<void>;
  /** Removes the line only while it still points at `batchReference` (a newer allocation is left alone). */
  remove(line: { orderId: string; sku: string; batchReference: string }): Promise<void>;
};

export type InventoryRepositories = {
  readonly products: ProductRepository;
  readonly allocationsView: AllocationsViewWriter;
  /** Background tasks record their delivery here, in the transaction of their effect (tasks.ts). */
  readonly inbox: Inbox;
};

/** What every inventory handler may use, injected by the composition root (src/bootstrap.ts). */
export type InventoryDependencies = {
  readonly uow: UnitOfWork<InventoryRepositories>;
  readonly clock: Clock;
};

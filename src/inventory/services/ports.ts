import type { Clock, Inbox, UnitOfWork } from '../../core/ports.ts';
import type { Product } from '../domain/product.ts';

/**
 * Loads and saves whole aggregates (a product with its batches and their allocations) inside the current unit of
 * work. The contract of `save(product)`, for a product loaded in this transaction (or new, at version 0):
 * - it writes whatever differs from what was loaded (the product row, new batches, changed batch quantities,
 *   allocations added or removed) and bumps the stored version by exactly one, refusing with a
 *   ConcurrentUpdateError when the stored version is no longer `product.version` (the unit of work retries it);
 * - when nothing differs (an idempotent repeat, or an OutOfStock verdict), it writes nothing, neither checks nor
 *   bumps the version, so such requests never contend for the product's row. That is safe under REPEATABLE READ:
 *   the verdict holds for the snapshot it was made in, and orders the request before any concurrent change;
 * - in both cases it hands the product's new events to the unit of work, which publishes them once the
 *   transaction commits (so an OutOfStock event commits without a version bump).
 */
export type ProductRepository = {
  get(sku: string): Promise<Product | null>;
  /** The product owning the batch with this reference (references are unique across products). */
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

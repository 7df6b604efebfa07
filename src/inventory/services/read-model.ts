import type { Allocated, Deallocated } from '../domain/events.ts';
import type { InventoryDependencies } from './ports.ts';

/**
 * Keeps the allocations read model (Query.allocations) in step with the aggregate: each handler runs after the
 * allocation committed, in its own small transaction. Idempotent, so a replayed event changes nothing.
 */
export const recordAllocation = async (event: Allocated, { uow }: InventoryDependencies): Promise<void> =>
  uow.transaction('READ COMMITTED', ({ allocationsView }) =>
    allocationsView.put({ orderId: event.orderId, sku: event.sku, batchReference: event.batchReference }),
  );

export const forgetAllocation = async (event: Deallocated, { uow }: InventoryDependencies): Promise<void> =>
  uow.transaction('READ COMMITTED', ({ allocationsView }) =>
    allocationsView.remove({ orderId: event.orderId, sku: event.sku, batchReference: event.batchReference }),
  );

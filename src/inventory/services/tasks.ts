import type { Envelope } from '../../core/messages.ts';
import type { TaskDefinition } from '../../core/tasks.ts';
import type { Deallocated } from '../domain/events.ts';
import { allocateAndCommit } from './handlers.ts';
import type { InventoryDependencies } from './ports.ts';

/** Only a line its shrunk batch evicted wants a new home: a cancelled line stays cancelled (and costs no job). */
const evictedByShrink = (event: Deallocated): boolean => event.reason === 'batch-shrunk';

/**
 * Allocates an evicted line again, wherever allocation would put it now. A job rather than an in-process handler:
 * it exists as soon as the shrink commits and is retried until it commits, so a contended reallocation is never
 * dropped. The delivery is recorded in the allocation's own transaction, so a redelivery (even after the line
 * was reallocated and then cancelled) allocates nothing. Finding no room is no failure: the committed OutOfStock
 * event is the answer (and notifyOutOfStock mails it), so the job completes.
 */
export const reallocate = async ({ id, event }: Envelope<Deallocated>, deps: InventoryDependencies): Promise<void> => {
  await allocateAndCommit({ orderId: event.orderId, sku: event.sku, quantity: event.quantity }, deps, {
    messageId: id,
    consumer: 'reallocate',
  });
};

export const inventoryTasks: {
  readonly reallocate: TaskDefinition<Deallocated, InventoryDependencies>;
} = {
  reallocate: { on: 'Deallocated', when: evictedByShrink, handle: reallocate },
};

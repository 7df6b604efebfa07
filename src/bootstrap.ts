import type { DatabasePool } from 'slonik';
import { bindCommandHandlers, bindEventHandlers, createMessageBus, mergeEventRoutes, type EventRoutes } from './core/bus.ts';
import type { Clock, Logger, UnitOfWork } from './core/ports.ts';
import { createInventoryViews } from './inventory/adapters/slonik-inventory-views.ts';
import { createProductRepository } from './inventory/adapters/slonik-product-repository.ts';
import { inventoryCommandHandlers, inventoryEventHandlers } from './inventory/services/handlers.ts';
import type { InventoryDependencies, InventoryRepositories } from './inventory/services/ports.ts';
import type { InventoryViews } from './inventory/services/views.ts';
import type { KingdomBus, KingdomViews } from './platform/graphql/context.ts';
import type { RetryPolicy } from './platform/database/retry.ts';
import { createSlonikUnitOfWork } from './platform/database/unit-of-work.ts';

/**
 * The composition root: the one place that chooses adapters and hands them to handlers. Production passes a
 * pool and gets slonik everywhere; tests pass fakes for whatever they want to isolate (no pool needed then).
 */
export type BootstrapOptions = {
  readonly logger: Logger;
  readonly pool?: DatabasePool;
  readonly clock?: Clock;
  readonly retryPolicy?: RetryPolicy;
  readonly inventoryUnitOfWork?: () => UnitOfWork<InventoryRepositories>;
  readonly inventoryViews?: InventoryViews;
  /** Extra event subscribers, run after the contexts' own. */
  readonly eventHandlers?: EventRoutes;
};

export type Application = { readonly bus: KingdomBus; readonly views: KingdomViews };

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 10 };

const systemClock: Clock = { now: () => new Date() };

export const bootstrap = (options: BootstrapOptions): Application => {
  const pool = (): DatabasePool => {
    if (!options.pool) throw new Error('bootstrap: a database pool is required unless every adapter is overridden');
    return options.pool;
  };
  const retryPolicy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const clock = options.clock ?? systemClock;

  const inventoryUnitOfWork =
    options.inventoryUnitOfWork ??
    ((): UnitOfWork<InventoryRepositories> =>
      createSlonikUnitOfWork(pool(), (connection, events) => ({ products: createProductRepository(connection, events) }), {
        ...retryPolicy,
        onRetry: (attempt, error) => options.logger.debug({ err: error, attempt }, 'retrying a contended transaction'),
      }));
  // A fresh unit of work for every message: never shared between concurrent requests.
  const inventoryDependencies = (): InventoryDependencies => ({ uow: inventoryUnitOfWork(), clock });

  const bus: KingdomBus = createMessageBus({
    commands: bindCommandHandlers(inventoryCommandHandlers, inventoryDependencies),
    events: mergeEventRoutes(bindEventHandlers(inventoryEventHandlers, inventoryDependencies), options.eventHandlers ?? {}),
    logger: options.logger,
  });

  return {
    bus,
    views: { inventory: options.inventoryViews ?? createInventoryViews(pool()) },
  };
};

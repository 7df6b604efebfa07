/**
 * The inventory context as the shell sees it (listed in src/contexts.ts): products, their batches and the
 * allocation of order lines. Everything the composition root needs from inventory is declared here.
 */
import type { ReadScope } from '../core/access.ts';
import { bindCommandHandlers, bindEventHandlers } from '../core/bus.ts';
import type { UnitOfWork } from '../core/ports.ts';
import { bindTasks } from '../core/tasks.ts';
import type { ContextShell, Module } from '../platform/context-module.ts';
import { createSlonikInbox } from '../platform/database/inbox.ts';
import type { RepositoryFactory } from '../platform/database/unit-of-work.ts';
import { createAllocationsViewWriter } from './adapters/slonik-allocations-view.ts';
import { createInventoryViews } from './adapters/slonik-inventory-views.ts';
import { createProductRepository } from './adapters/slonik-product-repository.ts';
import { inventoryEntities, inventoryNodes, inventoryResolvers } from './entrypoints/resolvers.ts';
import { inventoryResources } from './entrypoints/subjects.ts';
import { inventorySubscriptions } from './entrypoints/subscriptions.ts';
import { inventoryCommandHandlers, inventoryEventHandlers } from './services/handlers.ts';
import type { InventoryDependencies, InventoryRepositories } from './services/ports.ts';
import { inventoryTasks } from './services/tasks.ts';
import type { InventoryViews } from './services/views.ts';

// Codegen mappers: the TypeScript shape each GraphQL type of inventory resolves from (scripts/codegen/context-resolvers.ts).
export type { AllocationView as AllocationMapper, BatchPage as BatchConnectionMapper } from './services/views.ts';
export type { BatchView as BatchMapper, ProductPage as ProductConnectionMapper } from './services/views.ts';
export type { ProductView as ProductMapper } from './services/views.ts';
export type { AllocatedResult as AllocatePayloadMapper } from './services/handlers.ts';
export type { BatchAddedResult as AddBatchPayloadMapper } from './services/handlers.ts';
export type { BatchQuantityChangedResult as ChangeBatchQuantityPayloadMapper } from './services/handlers.ts';
export type { DeallocatedResult as DeallocatePayloadMapper } from './services/handlers.ts';

/** Tests replace what they isolate: the unit of work (a fake store) and the views. */
export type InventoryOverrides = {
  readonly unitOfWork?: () => UnitOfWork<InventoryRepositories>;
  readonly views?: (readScope: ReadScope) => InventoryViews;
};

const repositories: RepositoryFactory<InventoryRepositories> = (connection, events) => ({
  products: createProductRepository(connection, events),
  allocationsView: createAllocationsViewWriter(connection),
  inbox: createSlonikInbox(connection),
});

const wire = (shell: ContextShell, overrides: InventoryOverrides = {}) => {
  const unitOfWork = overrides.unitOfWork ?? (() => shell.unitOfWork(repositories));
  // A fresh unit of work for every message: never shared between concurrent requests.
  const dependencies = (): InventoryDependencies => ({ uow: unitOfWork(), clock: shell.clock });
  return {
    commands: bindCommandHandlers(inventoryCommandHandlers, dependencies),
    events: bindEventHandlers(inventoryEventHandlers, dependencies),
    // A task's committed events (a reallocation's Allocated) reach the in-process subscribers, as a command's do.
    tasks: bindTasks(inventoryTasks, dependencies, ({ uow }) => shell.publish(uow.collectNewEvents())),
    views: overrides.views ?? ((readScope: ReadScope) => createInventoryViews(shell.database(), readScope)),
  };
};

export const inventory: Module<'inventory', typeof wire> = {
  name: 'inventory',
  resources: inventoryResources,
  resolvers: inventoryResolvers,
  nodes: inventoryNodes,
  subscriptions: inventorySubscriptions,
  entities: inventoryEntities,
  wire,
};

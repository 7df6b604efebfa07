import type { AddBatch } from '../domain/commands.ts';
import { addBatch as addBatchTo, newProduct } from '../domain/product.ts';
import type { InventoryDependencies } from './ports.ts';

export type BatchAddedResult = { readonly sku: string; readonly reference: string };

/**
 * Adds a batch, creating the product on its first batch. REPEATABLE READ plus the aggregate's version check is
 * enough here: two writers of one product cannot both commit (the loser gets a serialization failure or a stale
 * version, and the unit of work retries it against the winner's state).
 */
export const addBatch = async (command: AddBatch, { uow }: InventoryDependencies): Promise<BatchAddedResult> =>
  uow.transaction('REPEATABLE READ', async ({ products }) => {
    const product = (await products.get(command.sku)) ?? newProduct(command.sku);
    await products.save(addBatchTo(product, command));
    return { sku: product.sku, reference: command.reference };
  });

export const inventoryCommandHandlers = {
  AddBatch: addBatch,
};

/** No in-process subscribers yet; allocation (and its read model) will listen here. */
export const inventoryEventHandlers = {};

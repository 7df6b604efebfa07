import type { AddBatch, Allocate, ChangeBatchQuantity, Deallocate } from '../domain/commands.ts';
import { batchNotFound, outOfStock, productNotFound } from '../domain/errors.ts';
import * as model from '../domain/model.ts';
import { identifier, quantity } from '../domain/values.ts';
import { expectVersion } from '../../core/versions.ts';
import { forgetAllocation, recordAllocation } from './read-model.ts';
import type { InventoryDependencies } from './ports.ts';

// Every handler is one transaction that starts by loading (and so locking) the product: two writers of one product
// take turns, the second deciding on what the first committed. READ COMMITTED, so that the second reads that state
// once it has the lock (REPEATABLE READ would keep its older snapshot and fail). The aggregate's version check stays
// as the safety net for any writer that did not lock (docs/decisions/0012-writers-of-one-product-take-turns.md).

export type BatchAddedResult = { readonly sku: string; readonly reference: string };
export type AllocatedResult = { readonly batchReference: string };
export type DeallocatedResult = { readonly batchReference: string };
export type BatchQuantityChangedResult = { readonly sku: string; readonly reference: string };

/** Adds a batch, creating the product on its first batch, owned by whoever added it. */
export const addBatch = async (command: AddBatch, { uow }: InventoryDependencies): Promise<BatchAddedResult> =>
  uow.transaction('READ COMMITTED', async ({ products }) => {
    const product = (await products.get(command.sku)) ?? model.newProduct(command.sku, '', command.ownerId);
    await products.save(model.addBatch(product, command));
    return { sku: product.sku, reference: command.reference };
  });

/** A message whose effect an allocation is: recorded with it, so that a repeated delivery changes nothing. */
export type Delivery = { readonly messageId: string; readonly consumer: string };

/**
 * The batch now holding the line, or null when none could (the OutOfStock event is committed either way) or when
 * `delivery` was seen before (nothing is done then).
 */
export const allocateAndCommit = async (
  raw: model.OrderLine & { readonly expectedVersion?: number | null },
  { uow, clock }: InventoryDependencies,
  delivery?: Delivery,
): Promise<string | null> => {
  const line = model.orderLine(raw);
  // Read once, so a retried transaction records the same instant.
  const now = clock.now();
  return uow.transaction('READ COMMITTED', async ({ products, inbox }) => {
    // First, so a concurrent duplicate is turned away (or waits for this one) before it allocates anything.
    if (delivery && !(await inbox.firstDelivery(delivery.messageId, delivery.consumer))) return null;
    const product = await products.get(line.sku, { ofOrder: line.orderId });
    if (!product) throw productNotFound(line.sku);
    expectVersion('product', product.version, raw.expectedVersion);
    const outcome = model.allocate(product, line, now);
    await products.save(outcome.product);
    return outcome.kind === 'allocated' ? outcome.reference : null;
  });
};

export const allocate = async (command: Allocate, deps: InventoryDependencies): Promise<AllocatedResult> => {
  const batchReference = await allocateAndCommit(command, deps);
  // Thrown only now, after commit, so that the OutOfStock event is published all the same.
  if (batchReference === null) throw outOfStock(command.sku);
  return { batchReference };
};

export const deallocate = async (command: Deallocate, { uow }: InventoryDependencies): Promise<DeallocatedResult> => {
  const sku = identifier('sku', command.sku);
  const orderId = identifier('orderId', command.orderId);
  return uow.transaction('READ COMMITTED', async ({ products }) => {
    const product = await products.get(sku, { ofOrder: orderId });
    if (!product) throw productNotFound(sku);
    expectVersion('product', product.version, command.expectedVersion);
    const { product: changed, reference } = model.deallocate(product, orderId);
    await products.save(changed);
    return { batchReference: reference };
  });
};

/**
 * Lines the batch can no longer hold are deallocated here; each is reallocated later by the `reallocate` background
 * task (tasks.ts), a job enqueued in this same transaction, so none is lost when that allocation contends.
 */
export const changeBatchQuantity = async (
  command: ChangeBatchQuantity,
  { uow }: InventoryDependencies,
): Promise<BatchQuantityChangedResult> => {
  const reference = identifier('reference', command.reference);
  const purchasedQuantity = quantity('quantity', command.quantity);
  return uow.transaction('READ COMMITTED', async ({ products }) => {
    const product = await products.getByBatchReference(reference);
    if (!product) throw batchNotFound(reference);
    expectVersion('product', product.version, command.expectedVersion);
    await products.save(model.changeBatchQuantity(product, reference, purchasedQuantity));
    return { sku: product.sku, reference };
  });
};

export const inventoryCommandHandlers = {
  AddBatch: addBatch,
  Allocate: allocate,
  Deallocate: deallocate,
  ChangeBatchQuantity: changeBatchQuantity,
};

export const inventoryEventHandlers = {
  Allocated: [recordAllocation],
  Deallocated: [forgetAllocation],
};

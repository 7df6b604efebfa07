/** Facts the inventory context records, in the past tense. */
export type BatchAdded = {
  readonly type: 'BatchAdded';
  readonly sku: string;
  readonly reference: string;
  readonly quantity: number;
  readonly eta: string | null;
};

/** A batch now holds another number of units (the lines it can no longer hold follow as Deallocated). */
export type BatchQuantityChanged = {
  readonly type: 'BatchQuantityChanged';
  readonly sku: string;
  readonly reference: string;
  readonly quantity: number;
};

export type Allocated = {
  readonly type: 'Allocated';
  readonly orderId: string;
  readonly sku: string;
  readonly quantity: number;
  readonly batchReference: string;
};

/** 'cancelled': the order gave the line up. 'batch-shrunk': its batch no longer holds it, so it wants reallocating. */
export type DeallocationReason = 'cancelled' | 'batch-shrunk';

export type Deallocated = {
  readonly type: 'Deallocated';
  readonly orderId: string;
  readonly sku: string;
  readonly quantity: number;
  readonly batchReference: string;
  readonly reason: DeallocationReason;
};

/** No batch of the product could hold the line; nothing was allocated. */
export type OutOfStock = {
  readonly type: 'OutOfStock';
  readonly sku: string;
  readonly orderId: string;
  readonly quantity: number;
};

export type InventoryEvent = BatchAdded | BatchQuantityChanged | Allocated | Deallocated | OutOfStock;

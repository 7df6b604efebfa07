/** Facts the inventory context records, in the past tense. */
export type BatchAdded = {
  readonly type: 'BatchAdded';
  readonly sku: string;
  readonly reference: string;
  readonly quantity: number;
  readonly eta: string | null;
};

export type InventoryEvent = BatchAdded;

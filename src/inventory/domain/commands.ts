/** Orders the inventory context accepts. Plain readonly data, validated by the domain, not by the transport. */
export type AddBatch = {
  readonly type: 'AddBatch';
  readonly reference: string;
  readonly sku: string;
  readonly quantity: number;
  /** Calendar date the batch arrives (YYYY-MM-DD); null when it is in the warehouse already. */
  readonly eta: string | null;
};

export type InventoryCommand = AddBatch;

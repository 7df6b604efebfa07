/** Orders the inventory context accepts. Plain readonly data, validated by the domain, not by the transport. */
export type AddBatch = {
  readonly type: 'AddBatch';
  readonly reference: string;
  readonly sku: string;
  readonly quantity: number;
  /** Calendar date the batch arrives (YYYY-MM-DD); null when it is in the warehouse already. */
  readonly eta: string | null;
  /** Who is adding it: becomes the owner when this batch creates the product; an existing product keeps its own. */
  readonly ownerId: string | null;
};

/** Reserve `quantity` units of `sku` for the order, from one batch. An order line is (orderId, sku). */
export type Allocate = {
  readonly type: 'Allocate';
  readonly orderId: string;
  readonly sku: string;
  readonly quantity: number;
  /** The product's version the client read (Product.version): refused with CONFLICT when it has changed since. */
  readonly expectedVersion?: number | null;
};

/** Give back the units the order's line for `sku` holds. */
export type Deallocate = {
  readonly type: 'Deallocate';
  readonly orderId: string;
  readonly sku: string;
  /** The product's version the client read (Product.version): refused with CONFLICT when it has changed since. */
  readonly expectedVersion?: number | null;
};

/** Correct how many units a batch holds; lines it can no longer hold are deallocated and reallocated elsewhere. */
export type ChangeBatchQuantity = {
  readonly type: 'ChangeBatchQuantity';
  readonly reference: string;
  readonly quantity: number;
  /** The version of the batch's product the client read (Product.version): refused with CONFLICT when it has changed since. */
  readonly expectedVersion?: number | null;
};

export type InventoryCommand = AddBatch | Allocate | Deallocate | ChangeBatchQuantity;

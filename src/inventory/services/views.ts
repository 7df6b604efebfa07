/**
 * Read side: queries answer straight from the database, skipping the domain (no aggregate is loaded to read).
 * The shapes here are what GraphQL resolvers receive (codegen `mappers`).
 */
export type ProductView = {
  readonly sku: string;
  readonly description: string;
  readonly version: number;
  readonly createdAt: Date;
};

export type BatchView = {
  readonly reference: string;
  readonly sku: string;
  readonly purchasedQuantity: number;
  readonly eta: string | null;
  readonly createdAt: Date;
};

export type InventoryViews = {
  productBySku(sku: string): Promise<ProductView | null>;
  batchByReference(reference: string): Promise<BatchView | null>;
  /** In-stock batches first, then by ETA, as allocation prefers them. */
  batchesOfProduct(sku: string): Promise<BatchView[]>;
};

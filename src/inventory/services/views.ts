import type { Connection, PageArgs } from '../../core/pagination.ts';

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

/** A page of a connection plus its total, counted only when a client asks for it. */
export type Page<T> = Connection<T> & { readonly totalCount: () => Promise<number> };
export type ProductPage = Page<ProductView>;
export type BatchPage = Page<BatchView>;

export type ProductOrder = { readonly field: 'SKU' | 'CREATED_AT'; readonly direction: 'ASC' | 'DESC' };

export type InventoryViews = {
  productBySku(sku: string): Promise<ProductView | null>;
  batchByReference(reference: string): Promise<BatchView | null>;
  /** Keyset-paged; invalid page arguments are InvalidInput errors. */
  products(args: PageArgs, order: ProductOrder): Promise<ProductPage>;
  /** In-stock batches first, then by ETA, as allocation prefers them. Batched across products (no N+1). */
  batchesOfProduct(sku: string, args: PageArgs): Promise<BatchPage>;
};

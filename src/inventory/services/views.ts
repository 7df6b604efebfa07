import type { Page, PageArgs } from '../../core/pagination.ts';
import type { Selection } from '../../core/selection.ts';

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
  /** Units of this batch allocated to order lines. */
  readonly allocatedQuantity: number;
};

/** One line of the allocations read model (kept by event handlers, so it trails the write by a moment). */
export type AllocationView = { readonly orderId: string; readonly sku: string; readonly batchReference: string };

export type ProductPage = Page<ProductView>;
export type BatchPage = Page<BatchView>;

/** A product as a view returned it (it may carry what its page planned for it), or just its SKU. */
export type ProductKey = { readonly sku: string };

export type ProductOrder = { readonly field: 'SKU' | 'CREATED_AT'; readonly direction: 'ASC' | 'DESC' };

/**
 * Every read of products, batches and allocations is scoped to what the caller may READ (the `ReadScope` the
 * views were made with: PRODUCT for products and allocations, BATCH for batches), in the SQL. The `...Owner`
 * lookups are not scoped: the authorization shell uses them to decide, before anything is shown.
 */
export type InventoryViews = {
  productBySku(sku: string): Promise<ProductView | null>;
  batchByReference(reference: string): Promise<BatchView | null>;
  /** Many at once, in one statement (a supergraph router's references): one answer per SKU, in order. */
  productsBySku(skus: readonly string[]): Promise<Array<ProductView | null>>;
  /** Many at once, in one statement: one answer per reference, in order. */
  batchesByReference(references: readonly string[]): Promise<Array<BatchView | null>>;
  /**
   * Keyset-paged; invalid page arguments are InvalidInput errors. `selection` (what the client asked for beneath
   * the products) lets the page fetch each product's batches and available quantity in the same statement; the two
   * methods below then answer from the product they are given.
   */
  products(args: PageArgs, order: ProductOrder, selection?: Selection): Promise<ProductPage>;
  /** In-stock batches first, then by ETA, as allocation prefers them. Batched across products (no N+1). */
  batchesOfProduct(product: ProductKey, args: PageArgs): Promise<BatchPage>;
  /** Units of the product not allocated yet, over all its batches, readable or not (a product-level figure). */
  availableQuantityOfProduct(product: ProductKey): Promise<number>;
  /** From the allocations read model. */
  allocationsOfOrder(orderId: string): Promise<AllocationView[]>;
  /** Where the order's line of this product is allocated now, from the write side (never trails it); null if not. */
  allocationOfLine(orderId: string, sku: string): Promise<AllocationView | null>;
  /** Unscoped: null when no product has this SKU; ownerId null when nobody owns it. */
  productOwner(sku: string): Promise<{ readonly ownerId: string | null } | null>;
  /** Unscoped: a batch's owner is its product's. */
  batchOwner(reference: string): Promise<{ readonly ownerId: string | null } | null>;
};

import type { Clock, UnitOfWork } from '../../core/ports.ts';
import type { Product } from '../domain/product.ts';

/** Loads and saves whole aggregates inside the current unit of work. */
export type ProductRepository = {
  get(sku: string): Promise<Product | null>;
  /** Persists the change and hands the product's new events to the unit of work; a stale version is refused. */
  save(product: Product): Promise<void>;
};

export type InventoryRepositories = { readonly products: ProductRepository };

/** What every inventory handler may use, injected by the composition root (src/bootstrap.ts). */
export type InventoryDependencies = {
  readonly uow: UnitOfWork<InventoryRepositories>;
  readonly clock: Clock;
};

import { ConcurrentUpdateError, DomainError } from '../../src/core/errors.ts';
import type { DomainEvent } from '../../src/core/messages.ts';
import type { IsolationLevel, UnitOfWork } from '../../src/core/ports.ts';
import type { Product } from '../../src/inventory/domain/product.ts';
import type { InventoryRepositories, ProductRepository } from '../../src/inventory/services/ports.ts';
import { withTransactionRetries, type RetryPolicy } from '../../src/platform/database/retry.ts';

/** No real sleeping in unit tests; a handful of attempts, like the production default. */
export const FAKE_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 0 };

/**
 * The inventory unit of work in memory, keeping the promises the slonik one makes:
 * - a transaction commits only if `work` resolves; a throwing `work` leaves the store as it was;
 * - a save over a stale version throws ConcurrentUpdateError, and the transaction is retried from the start
 *   (through the same withTransactionRetries as production);
 * - the events of saved products become visible to `collectNewEvents` only once their transaction commits;
 * - a batch reference is unique across all products (the database's unique index).
 *
 * One instance is one database plus its connection: return the same instance from a bootstrap factory to keep
 * state between messages.
 */
export class FakeInventoryUnitOfWork implements UnitOfWork<InventoryRepositories> {
  /** The committed products, as a repository would load them (stored version, no pending events). */
  readonly products = new Map<string, Product>();
  /** Transactions whose work resolved. */
  committedCount = 0;
  /** Every attempt started, retries included. */
  attemptCount = 0;

  readonly #retryPolicy: RetryPolicy;
  readonly #committedEvents: DomainEvent[] = [];
  #beforeNextSave: Array<() => void> = [];

  constructor(retryPolicy: RetryPolicy = FAKE_RETRY_POLICY) {
    this.#retryPolicy = retryPolicy;
  }

  /** Stores products as already committed (their version is kept as given). */
  seed(...products: Product[]): this {
    for (const product of products) this.products.set(product.sku, { ...product, events: [] });
    return this;
  }

  /**
   * Runs `action` just before the next save checks its version, e.g. to commit another clerk's change between
   * this transaction's load and its save, or to throw.
   */
  beforeNextSave(action: () => void): this {
    this.#beforeNextSave.push(action);
    return this;
  }

  /** The next save throws (a ConcurrentUpdateError unless told otherwise), as if it lost a race. */
  failNextSave(error: Error = new ConcurrentUpdateError('Product (injected)')): this {
    return this.beforeNextSave(() => {
      throw error;
    });
  }

  async transaction<T>(_isolation: IsolationLevel, work: (repositories: InventoryRepositories) => Promise<T>): Promise<T> {
    return withTransactionRetries(this.#retryPolicy, async () => {
      this.attemptCount += 1;
      // Writes stay private to the attempt until it commits, so a failed attempt leaves nothing behind.
      const writes = new Map<string, Product>();
      const pending: DomainEvent[] = [];
      const result = await work({ products: this.#repository(writes, pending) });
      for (const [sku, product] of writes) this.products.set(sku, product);
      this.#committedEvents.push(...pending);
      this.committedCount += 1;
      return result;
    });
  }

  collectNewEvents(): DomainEvent[] {
    return this.#committedEvents.splice(0);
  }

  #repository(writes: Map<string, Product>, pending: DomainEvent[]): ProductRepository {
    const current = (sku: string): Product | undefined => writes.get(sku) ?? this.products.get(sku);
    return {
      get: async (sku) => current(sku) ?? null,
      save: async (product) => {
        this.#beforeNextSave.shift()?.();
        const stored = current(product.sku);
        if ((stored?.version ?? 0) !== product.version) throw new ConcurrentUpdateError(`Product ${product.sku}`);
        this.#refuseReferencesOfOtherProducts(product, writes);
        writes.set(product.sku, { ...product, version: product.version + 1, events: [] });
        pending.push(...product.events);
      },
    };
  }

  #refuseReferencesOfOtherProducts(product: Product, writes: Map<string, Product>): void {
    const others = new Map([...this.products, ...writes]);
    others.delete(product.sku);
    const taken = new Set([...others.values()].flatMap((other) => other.batches.map((batch) => batch.reference)));
    const clash = product.batches.find((batch) => taken.has(batch.reference));
    if (clash) {
      throw new DomainError('InvalidInput', 'DuplicateBatch', `Batch ${clash.reference} already exists`, {
        field: 'reference',
      });
    }
  }
}

import { isDeepStrictEqual } from 'node:util';
import { ConcurrentUpdateError } from '../../src/core/errors.ts';
import type { DomainEvent } from '../../src/core/messages.ts';
import type { IsolationLevel, UnitOfWork } from '../../src/core/ports.ts';
import { duplicateBatch } from '../../src/inventory/domain/errors.ts';
import type { Product } from '../../src/inventory/domain/product.ts';
import type { InventoryRepositories, ProductRepository } from '../../src/inventory/services/ports.ts';
import { withTransactionRetries, type RetryPolicy } from '../../src/platform/database/retry.ts';

/** No real sleeping in unit tests; a handful of attempts, like the production default. */
export const FAKE_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 0 };

/**
 * The inventory unit of work in memory, keeping the promises the slonik one makes:
 * - a transaction commits only if `work` resolves; a throwing `work` leaves the store as it was;
 * - the repository's save contract (src/inventory/services/ports.ts): a save that changes the product as loaded
 *   in this transaction bumps its version by one, and over a stale version throws ConcurrentUpdateError, so the
 *   transaction is retried from the start (through the same withTransactionRetries as production); a save that
 *   changes nothing (only events, or none) neither checks nor bumps the version;
 * - the events of saved products become visible to `collectNewEvents` only once their transaction commits;
 * - a batch reference is unique across all products (the database's unique index);
 * - the inbox records a delivery with the attempt's other writes (committed together, or not at all).
 *
 * One instance is one database plus its connection: return the same instance from a bootstrap factory to keep
 * state between messages.
 */
export class FakeInventoryUnitOfWork implements UnitOfWork<InventoryRepositories> {
  /** The committed products, as a repository would load them (stored version, no pending events). */
  readonly products = new Map<string, Product>();
  /** Transactions whose work resolved. */
  committedCount = 0;
  /** The allocations read model: `orderId/sku` -> batch reference, as its event handlers keep it. */
  allocationsView = new Map<string, string>();
  /** Every attempt started, retries included. */
  attemptCount = 0;
  /** Committed inbox rows, as `consumer/messageId`. */
  readonly processed = new Set<string>();

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
   * Runs `action` at the start of the next save, before it checks its version, e.g. to commit another clerk's change between
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

  async transaction<T>(
    _isolation: IsolationLevel,
    work: (repositories: InventoryRepositories) => Promise<T>,
  ): Promise<T> {
    return withTransactionRetries(this.#retryPolicy, async () => {
      this.attemptCount += 1;
      // Writes stay private to the attempt until it commits, so a failed attempt leaves nothing behind.
      const writes = new Map<string, Product>();
      const pending: DomainEvent[] = [];
      const view = new Map(this.allocationsView);
      const processed = new Set<string>();
      const result = await work({
        products: this.#repository(writes, pending),
        allocationsView: {
          put: async ({ orderId, sku, batchReference }) => void view.set(`${orderId}/${sku}`, batchReference),
          remove: async ({ orderId, sku, batchReference }) => {
            if (view.get(`${orderId}/${sku}`) === batchReference) view.delete(`${orderId}/${sku}`);
          },
        },
        inbox: {
          firstDelivery: async (messageId, consumer) => {
            const key = `${consumer}/${messageId}`;
            if (this.processed.has(key) || processed.has(key)) return false;
            processed.add(key);
            return true;
          },
        },
      });
      for (const [sku, product] of writes) this.products.set(sku, product);
      this.allocationsView = view;
      for (const key of processed) this.processed.add(key);
      this.#committedEvents.push(...pending);
      this.committedCount += 1;
      return result;
    });
  }

  collectNewEvents(): DomainEvent[] {
    return this.#committedEvents.splice(0);
  }

  #repository(writes: Map<string, Product>, pending: DomainEvent[]): ProductRepository {
    // What this transaction loaded (or last saved) of each product: a save writes only when it differs.
    const loaded = new Map<string, Product>();
    const current = (sku: string): Product | undefined => writes.get(sku) ?? this.products.get(sku);
    const load = (product: Product | undefined): Product | null => {
      if (!product) return null;
      loaded.set(product.sku, product);
      return product;
    };
    return {
      get: async (sku) => load(current(sku)),
      getByBatchReference: async (reference) =>
        load(
          [...new Map([...this.products, ...writes]).values()].find((product) =>
            product.batches.some((batch) => batch.reference === reference),
          ),
        ),
      save: async (product) => {
        this.#beforeNextSave.shift()?.();
        const before = loaded.get(product.sku);
        if (!before || !sameState(before, product)) {
          const stored = current(product.sku);
          if ((stored?.version ?? 0) !== product.version) throw new ConcurrentUpdateError(`Product ${product.sku}`);
          this.#refuseReferencesOfOtherProducts(product, writes);
          const saved = { ...product, version: product.version + 1, events: [] };
          writes.set(product.sku, saved);
          loaded.set(product.sku, saved);
        }
        pending.push(...product.events);
      },
    };
  }

  #refuseReferencesOfOtherProducts(product: Product, writes: Map<string, Product>): void {
    const others = new Map([...this.products, ...writes]);
    others.delete(product.sku);
    const taken = new Set([...others.values()].flatMap((other) => other.batches.map((batch) => batch.reference)));
    const clash = product.batches.find((batch) => taken.has(batch.reference));
    if (clash) throw duplicateBatch(clash.reference);
  }
}

/** What a save persists: everything but the version it was loaded at and the events it carries. */
const sameState = (a: Product, b: Product): boolean =>
  a.sku === b.sku && a.description === b.description && isDeepStrictEqual(a.batches, b.batches);

import fc from 'fast-check';
import { DomainError } from '../../../src/core/errors.ts';
import { allocate, batchOfOrder, deallocate, preferredBatches } from '../../../src/inventory/domain/allocation.ts';
import {
  addBatch,
  allocatedQuantity,
  availableQuantity,
  changeBatchQuantity,
  newProduct,
  productAvailableQuantity,
  type Product,
} from '../../../src/inventory/domain/product.ts';

/**
 * Properties of the inventory aggregate: whatever sequence of addBatch / allocate / deallocate /
 * changeBatchQuantity is applied (including invalid and repeated ones), no batch is over-allocated, an order line
 * is allocated at most once, available = purchased - allocated >= 0, and the input product is never mutated.
 */

const SKU = 'SKU-1';
const RUNS = { numRuns: 200 };

type Command =
  | { kind: 'addBatch'; reference: string; quantity: number; eta: string | null }
  | { kind: 'allocate'; orderId: string; quantity: number }
  | { kind: 'deallocate'; orderId: string }
  | { kind: 'changeBatchQuantity'; reference: string; quantity: number };

// Small pools, so that duplicates, repeats and collisions happen often; a few invalid values too.
const reference = fc.constantFrom('b1', 'b2', 'b3', 'b4', 'b5', '-bad', '');
const orderId = fc.constantFrom('o1', 'o2', 'o3', 'o4', 'o5', 'o6', 'o7', 'o8', 'bad id');
const quantity = fc.oneof(
  { weight: 9, arbitrary: fc.integer({ min: 1, max: 30 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 1.5, 2 ** 31) },
);
const eta = fc.constantFrom(null, null, '2026-01-01', '2026-02-01', '2026-03-01', '2026-02-30');

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('addBatch' as const), reference, quantity, eta }),
  fc.record({ kind: fc.constant('allocate' as const), orderId, quantity }),
  fc.record({ kind: fc.constant('allocate' as const), orderId, quantity }),
  fc.record({ kind: fc.constant('deallocate' as const), orderId }),
  fc.record({ kind: fc.constant('changeBatchQuantity' as const), reference, quantity }),
);

const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
};

const orderIdsOf = (product: Product): string[] =>
  product.batches.flatMap((batch) => batch.allocations.map((allocation) => allocation.orderId));

const expectInvariants = (product: Product): void => {
  for (const batch of product.batches) {
    expect(batch.sku).toBe(product.sku);
    expect(allocatedQuantity(batch)).toBeLessThanOrEqual(batch.purchasedQuantity);
    expect(availableQuantity(batch)).toBe(batch.purchasedQuantity - allocatedQuantity(batch));
    expect(availableQuantity(batch)).toBeGreaterThanOrEqual(0);
    for (const allocation of batch.allocations) expect(allocation.quantity).toBeGreaterThan(0);
  }
  const ids = orderIdsOf(product);
  expect(new Set(ids).size).toBe(ids.length);
  const references = product.batches.map((batch) => batch.reference);
  expect(new Set(references).size).toBe(references.length);
  const purchased = product.batches.reduce((total, batch) => total + batch.purchasedQuantity, 0);
  const allocated = product.batches.reduce((total, batch) => total + allocatedQuantity(batch), 0);
  expect(productAvailableQuantity(product)).toBe(purchased - allocated);
  expect(productAvailableQuantity(product)).toBeGreaterThanOrEqual(0);
};

/** Applies one command to a frozen product, checking what that command promises; returns the next product. */
const step = (product: Product, cmd: Command, now: Date): Product => {
  const snapshot = structuredClone(product);
  deepFreeze(product);
  let next = product;
  try {
    switch (cmd.kind) {
      case 'addBatch': {
        next = addBatch(product, { reference: cmd.reference, quantity: cmd.quantity, eta: cmd.eta });
        expect(next.batches).toHaveLength(product.batches.length + 1);
        expect(productAvailableQuantity(next)).toBe(productAvailableQuantity(product) + cmd.quantity);
        break;
      }
      case 'allocate': {
        const holding = batchOfOrder(product, cmd.orderId);
        const outcome = allocate(product, { orderId: cmd.orderId, sku: product.sku, quantity: cmd.quantity }, now);
        if (holding) {
          // Already allocated: stays where it is, nothing changes.
          expect(outcome).toEqual({ kind: 'allocated', product, reference: holding.reference });
          expect(outcome.product).toBe(product);
        } else if (outcome.kind === 'allocated') {
          const expected = preferredBatches(product).find((batch) => availableQuantity(batch) >= cmd.quantity);
          expect(outcome.reference).toBe(expected?.reference);
          expect(batchOfOrder(outcome.product, cmd.orderId)?.reference).toBe(outcome.reference);
          expect(productAvailableQuantity(outcome.product)).toBe(productAvailableQuantity(product) - cmd.quantity);
        } else {
          // Out of stock only when no batch has room for the whole line; nothing allocated.
          for (const batch of product.batches) expect(availableQuantity(batch)).toBeLessThan(cmd.quantity);
          expect(outcome.product.batches).toBe(product.batches);
          expect(outcome.product.events.at(-1)).toEqual({
            type: 'OutOfStock',
            sku: product.sku,
            orderId: cmd.orderId,
            quantity: cmd.quantity,
          });
        }
        next = outcome.product;
        break;
      }
      case 'deallocate': {
        const held = product.batches.flatMap((batch) => batch.allocations).find((each) => each.orderId === cmd.orderId);
        const outcome = deallocate(product, cmd.orderId);
        expect(held).toBeDefined();
        expect(batchOfOrder(outcome.product, cmd.orderId)).toBeUndefined();
        expect(productAvailableQuantity(outcome.product)).toBe(productAvailableQuantity(product) + held!.quantity);
        next = outcome.product;
        break;
      }
      case 'changeBatchQuantity': {
        next = changeBatchQuantity(product, cmd.reference, cmd.quantity);
        const batch = next.batches.find((each) => each.reference === cmd.reference)!;
        expect(batch.purchasedQuantity).toBe(cmd.quantity);
        // The change is announced, then the lines that lost their batch; every other line is kept.
        const before = orderIdsOf(product);
        const after = new Set(orderIdsOf(next));
        const raised = next.events.slice(product.events.length);
        if (next !== product) {
          const { reference, quantity } = cmd;
          expect(raised[0]).toEqual({ type: 'BatchQuantityChanged', sku: SKU, reference, quantity });
        }
        const evicted = raised.slice(1).map((event) => (event.type === 'Deallocated' ? event.orderId : ''));
        expect(before.filter((id) => !after.has(id)).sort()).toEqual([...evicted].sort());
        break;
      }
    }
  } catch (error) {
    // Only the caller's mistakes may be refused, and a refusal changes nothing.
    if (!(error instanceof DomainError)) throw error;
    expect(error.category).toMatch(/^(InvalidInput|NotFound)$/);
    next = product;
  }
  expect(product).toEqual(snapshot);
  expectInvariants(next);
  return next;
};

describe('allocation properties', () => {
  test('any sequence of commands keeps every invariant and never mutates its input', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 40 }), (commands) => {
        let product = newProduct(SKU);
        let clock = Date.UTC(2026, 0, 1);
        for (const cmd of commands) {
          // Sometimes two allocations share an instant (the stable-sort rule of eviction).
          clock += cmd.kind === 'allocate' && cmd.orderId.endsWith('1') ? 0 : 1000;
          product = step(product, cmd, new Date(clock));
        }
      }),
      RUNS,
    );
  });

  test('allocating the same line twice is idempotent, whatever quantity is asked again', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 50 }),
        fc.nat({ max: 50 }),
        (wanted, again, spare) => {
          const product = deepFreeze(
            addBatch(newProduct(SKU), { reference: 'b1', quantity: wanted + spare, eta: null }),
          );
          const first = allocate(product, { orderId: 'o1', sku: SKU, quantity: wanted }, new Date(0));
          const second = allocate(first.product, { orderId: 'o1', sku: SKU, quantity: again }, new Date(1));
          expect(first.kind).toBe('allocated');
          expect(second).toEqual({ kind: 'allocated', product: first.product, reference: 'b1' });
          expect(second.product).toBe(first.product);
          expectInvariants(second.product);
        },
      ),
      RUNS,
    );
  });

  test('shrinking a batch evicts the most recent lines first, only as many as needed', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 10 }),
        fc.nat({ max: 100 }),
        (sizes, shrinkTo) => {
          const total = sizes.reduce((sum, size) => sum + size, 0);
          let product = addBatch(newProduct(SKU), { reference: 'b1', quantity: total, eta: null });
          sizes.forEach((size, index) => {
            product = allocate(
              product,
              { orderId: `o${index}`, sku: SKU, quantity: size },
              new Date(index * 1000),
            ).product;
          });
          const target = Math.max(1, Math.min(shrinkTo, total));
          const shrunk = changeBatchQuantity(deepFreeze(product), 'b1', target);
          const kept = shrunk.batches[0]!.allocations.map((allocation) => allocation.orderId);
          // What is kept is a prefix (the oldest), and adding the next evicted line back would not fit.
          expect(kept).toEqual(sizes.slice(0, kept.length).map((_, index) => `o${index}`));
          const held = sizes.slice(0, kept.length).reduce((sum, size) => sum + size, 0);
          expect(held).toBeLessThanOrEqual(target);
          if (kept.length < sizes.length) expect(held + sizes[kept.length]!).toBeGreaterThan(target);
          expectInvariants(shrunk);
        },
      ),
      RUNS,
    );
  });
});

import { DomainError } from '../../../src/core/errors.ts';
import { allocate, deallocate, type OrderLine } from '../../../src/inventory/domain/allocation.ts';
import {
  addBatch,
  availableQuantity,
  changeBatchQuantity,
  newProduct,
  productAvailableQuantity,
  type NewBatch,
  type Product,
} from '../../../src/inventory/domain/product.ts';
import { deepFreeze, domainErrorOf } from '../../support/domain-assertions.ts';

const at = (minute: number): Date => new Date(Date.UTC(2026, 0, 1, 9, minute));

const line = (orderId: string, quantity: number, overrides: Partial<OrderLine> = {}): OrderLine => ({
  orderId,
  sku: 'SKU-1',
  quantity,
  ...overrides,
});

/** SKU-1 with these batches, in this order, as a repository would load it: no pending events. */
const stocked = (...batches: NewBatch[]): Product => ({
  ...batches.reduce(addBatch, newProduct('SKU-1')),
  events: [],
});

const batch = (reference: string, quantity: number, eta: string | null = null): NewBatch => ({
  reference,
  quantity,
  eta,
});

/** Allocates and insists it worked, for arranging a test. */
const allocated = (product: Product, orderLine: OrderLine, now: Date = at(0)): Product => {
  const outcome = allocate(product, orderLine, now);
  if (outcome.kind !== 'allocated') throw new Error(`expected ${orderLine.orderId} to be allocated`);
  return outcome.product;
};

const referenceFor = (product: Product, orderLine: OrderLine): string | null => {
  const outcome = allocate(product, orderLine, at(0));
  return outcome.kind === 'allocated' ? outcome.reference : null;
};

describe('available quantity', () => {
  it('is what a batch bought less what its allocations hold, and for a product the sum over its batches', () => {
    const product = allocated(stocked(batch('b-1', 10), batch('b-2', 5, '2026-03-01')), line('o-1', 3));

    expect(product.batches.map(availableQuantity)).toEqual([7, 5]);
    expect(productAvailableQuantity(product)).toBe(12);
  });
});

describe('allocating an order line', () => {
  it('takes a batch already in the warehouse before any shipment, even a shipment added first', () => {
    expect(referenceFor(stocked(batch('shipment', 10, '2026-03-01'), batch('warehouse', 10)), line('o-1', 1))).toBe(
      'warehouse',
    );
  });

  it('among shipments, takes the one arriving soonest', () => {
    const product = stocked(
      batch('late', 10, '2026-10-01'),
      batch('soon', 10, '2026-09-30'),
      batch('later', 10, '2026-11-01'),
    );

    expect(referenceFor(product, line('o-1', 1))).toBe('soon');
  });

  it.each([
    ['in the warehouse', null],
    ['arriving the same day', '2026-03-01'],
  ])('between batches %s, takes the older one, whatever their references', (_name, eta) => {
    expect(referenceFor(stocked(batch('b-z', 10, eta), batch('b-a', 10, eta)), line('o-1', 1))).toBe('b-z');
  });

  it('passes over a preferred batch without room for the whole line: a line is never split', () => {
    const product = allocated(stocked(batch('warehouse', 10), batch('shipment', 10, '2026-03-01')), line('o-1', 7));

    expect(referenceFor(product, line('o-2', 4))).toBe('shipment');
    expect(referenceFor(stocked(batch('b-1', 3), batch('b-2', 3)), line('o-1', 5))).toBeNull();
  });

  it('fills a batch exactly, but never past what it bought', () => {
    const full = allocated(allocated(stocked(batch('b-1', 10)), line('o-1', 4)), line('o-2', 6));

    expect(availableQuantity(full.batches[0]!)).toBe(0);
    expect(allocate(full, line('o-3', 1), at(1)).kind).toBe('out-of-stock');
  });

  it('records the allocation with its time and raises Allocated with the order, SKU, quantity and batch', () => {
    const outcome = allocate(stocked(batch('b-1', 10)), line('o-1', 4), at(5));

    expect(outcome).toMatchObject({ kind: 'allocated', reference: 'b-1' });
    expect(outcome.product.batches[0]?.allocations).toEqual([{ orderId: 'o-1', quantity: 4, allocatedAt: at(5) }]);
    expect(outcome.product.events).toEqual([
      { type: 'Allocated', orderId: 'o-1', sku: 'SKU-1', quantity: 4, batchReference: 'b-1' },
    ]);
  });

  it('allocates a line at most once: asked again, it answers with the batch holding it and changes nothing', () => {
    // o-1 went to the shipment while the warehouse batch was full; a warehouse batch with room arrives since.
    const once = allocated(stocked(batch('warehouse', 2), batch('shipment', 10, '2026-03-01')), line('o-1', 5));
    const withRoom = { ...addBatch(once, batch('more', 10)), events: [] };

    const again = allocate(withRoom, line('o-1', 8), at(9));

    expect(again).toEqual({ kind: 'allocated', product: withRoom, reference: 'shipment' });
    expect(again.product).toBe(withRoom);
  });

  it('treats lines of different orders as different lines', () => {
    const product = allocated(allocated(stocked(batch('b-1', 10)), line('o-1', 2)), line('o-2', 2));

    expect(product.batches[0]?.allocations.map((each) => each.orderId)).toEqual(['o-1', 'o-2']);
  });

  it('when no batch has room, changes no batch and raises OutOfStock with the SKU, order and quantity', () => {
    const product = stocked(batch('b-1', 3));

    const outcome = allocate(product, line('o-1', 4), at(0));

    expect(outcome.kind).toBe('out-of-stock');
    expect(outcome.product.batches).toBe(product.batches);
    expect(outcome.product.events).toEqual([{ type: 'OutOfStock', sku: 'SKU-1', orderId: 'o-1', quantity: 4 }]);
  });

  it('is out of stock for a product without batches', () => {
    expect(allocate(newProduct('SKU-1'), line('o-1', 1), at(0)).kind).toBe('out-of-stock');
  });

  it.each([
    ['an empty order id', line('', 1), 'orderId'],
    ['an order id with a space', line('o 1', 1), 'orderId'],
    ['an order id of 65 characters', line('o'.repeat(65), 1), 'orderId'],
    ['a zero quantity', line('o-1', 0), 'quantity'],
    ['a fractional quantity', line('o-1', 1.5), 'quantity'],
    ['a quantity past the Postgres integer range', line('o-1', 2 ** 31), 'quantity'],
  ])('refuses %s as invalid input on its field', (_name, orderLine, field) => {
    expect(domainErrorOf(() => allocate(stocked(batch('b-1', 10)), orderLine, at(0)))).toMatchObject({
      category: 'InvalidInput',
      details: { field },
    });
  });

  it('refuses a line of another SKU as a bug, not as a client’s mistake', () => {
    const allocateElsewhere = () => allocate(stocked(batch('b-1', 10)), line('o-1', 1, { sku: 'SKU-2' }), at(0));

    expect(allocateElsewhere).toThrow('SKU-2');
    expect(allocateElsewhere).not.toThrow(DomainError);
  });
});

describe('deallocating an order line', () => {
  it('frees the line’s units and raises Deallocated (cancelled) naming the batch it was in', () => {
    const product = { ...allocated(stocked(batch('b-1', 10), batch('b-2', 10)), line('o-1', 4)), events: [] };

    const { product: freed, reference } = deallocate(product, 'o-1');

    expect(reference).toBe('b-1');
    expect(freed.batches[0]?.allocations).toEqual([]);
    expect(freed.events).toEqual([
      { type: 'Deallocated', orderId: 'o-1', sku: 'SKU-1', quantity: 4, batchReference: 'b-1', reason: 'cancelled' },
    ]);
  });

  it('takes out only the order’s own line from a batch that holds other orders too', () => {
    const both = allocated(allocated(stocked(batch('b-1', 10)), line('o-a', 3)), line('o-b', 4));

    const { product: freed } = deallocate({ ...both, events: [] }, 'o-b');

    expect(freed.batches[0]?.allocations).toEqual([expect.objectContaining({ orderId: 'o-a', quantity: 3 })]);
    expect(freed.events).toEqual([expect.objectContaining({ type: 'Deallocated', orderId: 'o-b', quantity: 4 })]);
    expect(productAvailableQuantity(freed)).toBe(7);
  });

  it('leaves the freed units to the next order', () => {
    const full = allocated(stocked(batch('b-1', 10)), line('o-1', 10));

    expect(referenceFor(deallocate(full, 'o-1').product, line('o-2', 10))).toBe('b-1');
  });

  it('refuses a line the product does not hold, even one deallocated already, as AllocationNotFound', () => {
    const product = allocated(stocked(batch('b-1', 10)), line('o-1', 1));
    const freed = deallocate(product, 'o-1').product;

    for (const [from, orderId] of [
      [product, 'o-2'],
      [freed, 'o-1'],
    ] as const) {
      expect(domainErrorOf(() => deallocate(from, orderId))).toMatchObject({
        category: 'NotFound',
        name: 'AllocationNotFound',
        details: { field: 'orderId' },
      });
    }
  });

  it('refuses a malformed order id as invalid input', () => {
    expect(domainErrorOf(() => deallocate(stocked(batch('b-1', 1)), 'o 1'))).toMatchObject({
      category: 'InvalidInput',
      details: { field: 'orderId' },
    });
  });
});

describe('changing a batch quantity', () => {
  /** b-1 of 10 holding o-1 (4 units), o-2 (3) and o-3 (2), allocated in that order; b-2 empty. */
  const threeLines = (): Product => ({
    ...[line('o-1', 4), line('o-2', 3), line('o-3', 2)].reduce(
      (product, orderLine, minute) => allocated(product, orderLine, at(minute)),
      stocked(batch('b-1', 10), batch('b-2', 10, '2026-03-01')),
    ),
    events: [],
  });

  it.each([
    ['grows', 20],
    ['shrinks to exactly what is allocated', 9],
  ])('raises only BatchQuantityChanged and keeps every allocation when the batch %s', (_name, quantity) => {
    const product = threeLines();

    const changed = changeBatchQuantity(product, 'b-1', quantity);

    expect(changed.batches[0]).toEqual({ ...product.batches[0], purchasedQuantity: quantity });
    expect(changed.events).toEqual([{ type: 'BatchQuantityChanged', sku: 'SKU-1', reference: 'b-1', quantity }]);
  });

  it('deallocates the most recent lines first, only until the rest fit, raising Deallocated (batch-shrunk) for each', () => {
    const changed = changeBatchQuantity(threeLines(), 'b-1', 5);

    expect(changed.batches[0]).toMatchObject({ purchasedQuantity: 5, allocations: [{ orderId: 'o-1', quantity: 4 }] });
    expect(changed.events).toEqual([
      { type: 'BatchQuantityChanged', sku: 'SKU-1', reference: 'b-1', quantity: 5 },
      { type: 'Deallocated', orderId: 'o-3', sku: 'SKU-1', quantity: 2, batchReference: 'b-1', reason: 'batch-shrunk' },
      { type: 'Deallocated', orderId: 'o-2', sku: 'SKU-1', quantity: 3, batchReference: 'b-1', reason: 'batch-shrunk' },
    ]);
  });

  it('goes by when each line was allocated, not by where it is listed', () => {
    const b1 = stocked(batch('b-1', 10)).batches[0]!;
    const product: Product = {
      ...stocked(),
      batches: [
        {
          ...b1,
          allocations: [
            { orderId: 'late', quantity: 5, allocatedAt: at(30) },
            { orderId: 'early', quantity: 5, allocatedAt: at(10) },
          ],
        },
      ],
    };

    const changed = changeBatchQuantity(product, 'b-1', 6);

    expect(changed.batches[0]?.allocations.map((each) => each.orderId)).toEqual(['early']);
    expect(changed.events).toMatchObject([{ type: 'BatchQuantityChanged' }, { type: 'Deallocated', orderId: 'late' }]);
  });

  it('leaves the other batches as they were', () => {
    const product = threeLines();

    expect(changeBatchQuantity(product, 'b-1', 1).batches[1]).toBe(product.batches[1]);
  });

  it('returns the product itself when the quantity is the one it has', () => {
    const product = threeLines();

    expect(changeBatchQuantity(product, 'b-1', 10)).toBe(product);
  });

  it('refuses a reference the product has no batch for as BatchNotFound', () => {
    expect(domainErrorOf(() => changeBatchQuantity(threeLines(), 'b-9', 5))).toMatchObject({
      category: 'NotFound',
      name: 'BatchNotFound',
      details: { field: 'reference' },
    });
  });

  it.each([0, -1, 2.5, 2 ** 31])('refuses a quantity of %d as invalid input', (quantity) => {
    expect(domainErrorOf(() => changeBatchQuantity(threeLines(), 'b-1', quantity))).toMatchObject({
      category: 'InvalidInput',
      details: { field: 'quantity' },
    });
  });
});

describe('the product a change is given', () => {
  const loaded = (): Product =>
    deepFreeze({ ...allocated(stocked(batch('b-1', 10), batch('b-2', 2)), line('o-1', 6)), version: 4, events: [] });

  it.each<[string, (product: Product) => Product]>([
    ['allocating', (product) => allocate(product, line('o-2', 4), at(1)).product],
    ['running out of stock', (product) => allocate(product, line('o-2', 50), at(1)).product],
    ['deallocating', (product) => deallocate(product, 'o-1').product],
    ['shrinking a batch', (product) => changeBatchQuantity(product, 'b-1', 1)],
  ])('is left untouched by %s, which returns a new product at the same version', (_name, change) => {
    const product = loaded();
    const before = structuredClone(product);

    const changed = change(product);

    expect(product).toEqual(before);
    expect(changed).not.toBe(product);
    expect(changed.version).toBe(4);
  });
});

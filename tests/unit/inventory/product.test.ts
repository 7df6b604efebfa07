import { addBatch, newProduct, type NewBatch, type Product } from '../../../src/inventory/domain/product.ts';
import { deepFreeze, domainErrorOf } from '../../support/domain-assertions.ts';

const batch = (overrides: Partial<NewBatch> = {}): NewBatch => ({
  reference: 'b-1',
  quantity: 10,
  eta: null,
  ...overrides,
});

describe('a new product', () => {
  it('starts at version 0 with no batches, no events and no owner', () => {
    expect(newProduct('SKU-1', 'Red chair')).toEqual({
      sku: 'SKU-1',
      description: 'Red chair',
      version: 0,
      ownerId: null,
      batches: [],
      events: [],
    });
  });

  it('is owned by the user who creates it', () => {
    expect(newProduct('SKU-1', '', 'user-1').ownerId).toBe('user-1');
  });

  it.each([
    ['an empty SKU', ''],
    ['a SKU with a space', 'RED CHAIR'],
    ['a SKU with a quote', "SKU'1"],
    ['a SKU starting with a dash', '-SKU'],
    ['a SKU with a non-ASCII letter', 'CHAISE-É'],
    ['a SKU of 65 characters', 'S'.repeat(65)],
  ])('refuses %s as invalid input on the sku field', (_name, sku) => {
    expect(domainErrorOf(() => newProduct(sku))).toMatchObject({ category: 'InvalidInput', details: { field: 'sku' } });
  });

  it.each([
    ['a single character', 'S'],
    ['letters, digits, dot, underscore and dash', 'Sku_1.2-a'],
    ['64 characters', 'S'.repeat(64)],
  ])('accepts a SKU of %s', (_name, sku) => {
    expect(newProduct(sku).sku).toBe(sku);
  });
});

describe('adding a batch to a product', () => {
  it('adds the batch and raises BatchAdded with its SKU, reference, quantity and eta', () => {
    const product = addBatch(newProduct('SKU-1'), batch({ reference: 'b-1', quantity: 20, eta: '2026-03-01' }));

    expect(product.batches).toEqual([
      {
        reference: 'b-1',
        sku: 'SKU-1',
        purchasedQuantity: 20,
        eta: '2026-03-01',
        allocations: [],
        unloadedQuantity: 0,
      },
    ]);
    expect(product.events).toEqual([
      { type: 'BatchAdded', sku: 'SKU-1', reference: 'b-1', quantity: 20, eta: '2026-03-01' },
    ]);
  });

  it('appends to the batches and events the product already has, leaving its version to the repository', () => {
    const withOne = addBatch(newProduct('SKU-1'), batch({ reference: 'b-1', quantity: 1 }));

    const withTwo = addBatch(withOne, batch({ reference: 'b-2', quantity: 2 }));

    expect(withTwo.batches.map((each) => each.reference)).toEqual(['b-1', 'b-2']);
    expect(withTwo.events).toEqual([
      expect.objectContaining({ type: 'BatchAdded', reference: 'b-1', quantity: 1 }),
      expect.objectContaining({ type: 'BatchAdded', reference: 'b-2', quantity: 2 }),
    ]);
    expect(withTwo.version).toBe(0);
  });

  it('keeps the owner: adding stock to a product does not change who owns it', () => {
    const owned = newProduct('SKU-1', '', 'user-1');

    expect(addBatch(addBatch(owned, batch({ reference: 'b-1' })), batch({ reference: 'b-2' })).ownerId).toBe('user-1');
  });

  it('leaves the product it was given untouched and returns a new one', () => {
    const loaded: Product = deepFreeze({
      ...newProduct('SKU-1'),
      version: 3,
      batches: [
        { reference: 'b-1', sku: 'SKU-1', purchasedQuantity: 5, eta: null, allocations: [], unloadedQuantity: 0 },
      ],
    });
    const before = structuredClone(loaded);

    const changed = addBatch(loaded, batch({ reference: 'b-2' }));

    expect(loaded).toEqual(before);
    expect(changed).not.toBe(loaded);
    expect(changed.version).toBe(3);
    expect(changed.batches).toHaveLength(2);
  });

  it('refuses a reference the product already has as a DuplicateBatch on the reference field, raising nothing', () => {
    const product = addBatch(newProduct('SKU-1'), batch({ reference: 'b-1' }));

    const error = domainErrorOf(() => addBatch(product, batch({ reference: 'b-1', quantity: 99 })));

    expect(error).toMatchObject({ category: 'InvalidInput', name: 'DuplicateBatch', details: { field: 'reference' } });
    expect(error.message).toContain('b-1');
  });

  describe('quantity', () => {
    it.each([
      ['zero', 0],
      ['negative', -1],
      ['fractional', 1.5],
      ['past the Postgres integer range (2^31)', 2 ** 31],
      ['not a number', Number.NaN],
      ['infinite', Number.POSITIVE_INFINITY],
    ])('is refused when %s, on the quantity field', (_name, quantity) => {
      expect(domainErrorOf(() => addBatch(newProduct('SKU-1'), batch({ quantity })))).toMatchObject({
        category: 'InvalidInput',
        details: { field: 'quantity' },
      });
    });

    it.each([
      ['one', 1],
      ['the largest Postgres integer (2^31 - 1)', 2 ** 31 - 1],
    ])('is accepted at %s', (_name, quantity) => {
      expect(addBatch(newProduct('SKU-1'), batch({ quantity })).batches[0]?.purchasedQuantity).toBe(quantity);
    });
  });

  describe('reference', () => {
    it.each([
      ['empty', ''],
      ['with a space', 'b 1'],
      ['with a semicolon', 'b1;drop'],
      ['with a slash', 'b/1'],
      ['starting with a dot', '.b1'],
      ['with a trailing newline', 'b1\n'],
      ['65 characters long', 'b'.repeat(65)],
    ])('is refused when %s, on the reference field', (_name, reference) => {
      expect(domainErrorOf(() => addBatch(newProduct('SKU-1'), batch({ reference })))).toMatchObject({
        category: 'InvalidInput',
        details: { field: 'reference' },
      });
    });

    it('is accepted at 64 characters', () => {
      const reference = 'b'.repeat(64);

      expect(addBatch(newProduct('SKU-1'), batch({ reference })).batches[0]?.reference).toBe(reference);
    });
  });

  describe('eta', () => {
    it.each([
      ['a day February does not have', '2026-02-30'],
      ['a thirteenth month', '2026-13-01'],
      ['a day zero', '2026-01-00'],
      ['a two-digit year without padding', '26-1-1'],
      ['a timestamp instead of a date', '2026-01-01T00:00:00Z'],
      ['a non-leap 29th of February', '2026-02-29'],
      ['an empty string', ''],
    ])('is refused when it is %s, on the eta field', (_name, eta) => {
      expect(domainErrorOf(() => addBatch(newProduct('SKU-1'), batch({ eta })))).toMatchObject({
        category: 'InvalidInput',
        details: { field: 'eta' },
      });
    });

    it.each([
      ['null (already in the warehouse)', null],
      ['a real date', '2026-12-01'],
      ['a leap day', '2028-02-29'],
    ])('is accepted when %s', (_name, eta) => {
      const product = addBatch(newProduct('SKU-1'), batch({ eta }));

      expect(product.batches[0]?.eta).toBe(eta);
      expect(product.events[0]).toMatchObject({ type: 'BatchAdded', eta });
    });
  });
});

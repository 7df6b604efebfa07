import { sql } from 'slonik';
import { ConcurrentUpdateError, DomainError } from '../../../src/core/errors.ts';
import { createProductRepository } from '../../../src/inventory/adapters/slonik-product-repository.ts';
import { addBatch, newProduct } from '../../../src/inventory/domain/product.ts';
import { useRepositoryHarness } from '../../support/repository-harness.ts';
import { insertUser } from './scoped-warehouse.ts';
// Creating a product someone else created meanwhile (INSERT ... ON CONFLICT DO NOTHING RETURNING no row) is
// tested on real Postgres in tests/e2e/product-repository.test.ts: pg-mem returns the existing row there.

const harness = useRepositoryHarness(createProductRepository);
const { inTransaction } = harness;

const storedProducts = () =>
  harness.database.pool.any(sql.unsafe`SELECT sku, description, version FROM products ORDER BY sku`);
const storedBatches = () =>
  harness.database.pool.any(sql.unsafe`SELECT reference, sku, purchased_quantity, eta FROM batches ORDER BY reference`);
const storedReferences = () =>
  harness.database.pool.anyFirst(sql.unsafe`SELECT reference FROM batches ORDER BY reference`);

/** The statements `work` sends, without the transaction's own bracketing. */
const statementsOf = async (work: () => Promise<unknown>): Promise<string[]> => {
  const start = harness.database.statements.length;
  await work();
  return harness.database.statements
    .slice(start)
    .map((statement) => statement.replace(/\s+/g, ' ').trim())
    .filter((statement) => !/^(START TRANSACTION|COMMIT|DISCARD ALL)$/.test(statement));
};

const lamp = () =>
  addBatch(addBatch(newProduct('LAMP', 'a lamp'), { reference: 'lamp-1', quantity: 10, eta: null }), {
    reference: 'lamp-2',
    quantity: 5,
    eta: '2027-01-15',
  });

const lampBatch = { reference: 'lamp-1', quantity: 10, eta: null };

describe('the slonik product repository', () => {
  it('inserts a new product at version 1 together with its batches', async () => {
    await inTransaction((products) => products.save(lamp()));

    expect(await storedProducts()).toEqual([{ sku: 'LAMP', description: 'a lamp', version: 1 }]);
    expect(await storedBatches()).toEqual([
      { reference: 'lamp-1', sku: 'LAMP', purchased_quantity: 10, eta: null },
      { reference: 'lamp-2', sku: 'LAMP', purchased_quantity: 5, eta: '2027-01-15' },
    ]);
  });

  it('loads a product with its batches, the ETA as a YYYY-MM-DD string or null and quantities as numbers', async () => {
    await inTransaction((products) => products.save(lamp()));

    const loaded = await inTransaction((products) => products.get('LAMP'));

    expect(loaded).toEqual({
      sku: 'LAMP',
      description: 'a lamp',
      version: 1,
      ownerId: null,
      batches: [
        { reference: 'lamp-1', sku: 'LAMP', purchasedQuantity: 10, eta: null, allocations: [], unloadedQuantity: 0 },
        {
          reference: 'lamp-2',
          sku: 'LAMP',
          purchasedQuantity: 5,
          eta: '2027-01-15',
          allocations: [],
          unloadedQuantity: 0,
        },
      ],
      events: [],
    });
  });

  it('stores the owner of a new product and loads it back; a later save by anyone keeps it', async () => {
    const owner = await insertUser(harness.database, 'owner');
    await inTransaction((products) => products.save(addBatch(newProduct('LAMP', '', owner), lampBatch)));

    await inTransaction(async (products) => {
      const loaded = await products.get('LAMP');
      if (!loaded) throw new Error('LAMP was not saved');
      expect(loaded.ownerId).toBe(owner);
      // A save that adds a batch writes no owner: what a product's owner is was settled when it was created.
      await products.save(addBatch(loaded, { reference: 'lamp-2', quantity: 1, eta: null }));
    });

    expect(await harness.database.pool.oneFirst(sql.unsafe`SELECT owner_id FROM products`)).toBe(owner);
    expect((await inTransaction((products) => products.getByBatchReference('lamp-2')))?.ownerId).toBe(owner);
  });

  it('returns null for a product that does not exist', async () => {
    expect(await inTransaction((products) => products.get('NOPE'))).toBeNull();
  });

  it('bumps the version to exactly 2 on the second save and inserts only the new batch', async () => {
    await inTransaction((products) => products.save(lamp()));

    const sent = await statementsOf(() =>
      inTransaction(async (products) => {
        const loaded = await products.get('LAMP');
        if (!loaded) throw new Error('LAMP was not saved');
        await products.save(addBatch(loaded, { reference: 'lamp-3', quantity: 7, eta: '2027-02-01' }));
      }),
    );

    const writes = sent.filter((statement) => /^(INSERT|UPDATE|DELETE)\b/i.test(statement));
    expect(writes).toHaveLength(2);
    expect(writes[0]).toMatch(/^UPDATE products SET .*version = version \+ 1/);
    expect(writes[1]).toMatch(/^INSERT INTO batches\b/);
    expect(await storedProducts()).toEqual([{ sku: 'LAMP', description: 'a lamp', version: 2 }]);
    expect(await storedReferences()).toEqual(['lamp-1', 'lamp-2', 'lamp-3']);
  });

  it('refuses to save a product over a newer version: the second of two writers who loaded version 1 gets ConcurrentUpdateError', async () => {
    await inTransaction((products) => products.save(lamp()));

    // Two repositories over one connection (the harness has one) give the interleaving two concurrent transactions
    // would: both load version 1 before either saves.
    const secondSave = await inTransaction(async (first, connection) => {
      const second = createProductRepository(connection, harness.recorder);
      const [mine, theirs] = [await first.get('LAMP'), await second.get('LAMP')];
      if (!mine || !theirs) throw new Error('LAMP was not saved');
      await first.save(addBatch(mine, { reference: 'mine', quantity: 1, eta: null }));
      harness.recorded.splice(0);
      return second
        .save(addBatch(theirs, { reference: 'theirs', quantity: 1, eta: null }))
        .catch((error: unknown) => error);
    });

    expect(secondSave).toBeInstanceOf(ConcurrentUpdateError);
    expect(harness.recorded).toEqual([]);
    expect(await storedProducts()).toEqual([{ sku: 'LAMP', description: 'a lamp', version: 2 }]);
    expect(await storedReferences()).toEqual(['lamp-1', 'lamp-2', 'mine']);
  });

  it("refuses a batch whose reference belongs to another product's batch as InvalidInput DuplicateBatch", async () => {
    await inTransaction((products) => products.save(lamp()));
    harness.recorded.splice(0);

    const saving = inTransaction((products) =>
      products.save(addBatch(newProduct('DESK'), { reference: 'lamp-1', quantity: 3, eta: null })),
    );

    await expect(saving).rejects.toBeInstanceOf(DomainError);
    await expect(saving).rejects.toMatchObject({
      category: 'InvalidInput',
      name: 'DuplicateBatch',
      details: { field: 'reference' },
    });
    expect(harness.recorded).toEqual([]);
    expect(await storedProducts()).toEqual([{ sku: 'LAMP', description: 'a lamp', version: 1 }]);
    expect(await storedBatches()).toHaveLength(2);
  });

  it("hands a saved product's events to the event recorder", async () => {
    await inTransaction((products) => products.save(lamp()));

    expect(harness.recorded).toEqual([
      { type: 'BatchAdded', sku: 'LAMP', reference: 'lamp-1', quantity: 10, eta: null },
      { type: 'BatchAdded', sku: 'LAMP', reference: 'lamp-2', quantity: 5, eta: '2027-01-15' },
    ]);
  });

  it('hands over only the events of the latest change when a loaded product is saved again', async () => {
    await inTransaction((products) => products.save(lamp()));
    harness.recorded.splice(0);

    await inTransaction(async (products) => {
      const loaded = await products.get('LAMP');
      if (!loaded) throw new Error('LAMP was not saved');
      await products.save(addBatch(loaded, { reference: 'lamp-3', quantity: 7, eta: null }));
    });

    expect(harness.recorded).toEqual([
      { type: 'BatchAdded', sku: 'LAMP', reference: 'lamp-3', quantity: 7, eta: null },
    ]);
  });
});

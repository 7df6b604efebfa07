import { DomainError } from '../../../src/core/errors.ts';
import type { UnitOfWork } from '../../../src/core/ports.ts';
import { duplicateBatch } from '../../../src/inventory/domain/errors.ts';
import { addBatch, changeBatchQuantity, newProduct, type Product } from '../../../src/inventory/domain/product.ts';
import type { InventoryRepositories } from '../../../src/inventory/services/ports.ts';

/**
 * What the inventory unit of work's product repository does, whatever stores it: the fake unit of work in tests/unit
 * and the slonik unit of work with the slonik product repository on pg-mem in tests/integration run this suite.
 */
export type ProductRepositorySubject = {
  /** An empty store's unit of work. */
  readonly unitOfWork: UnitOfWork<InventoryRepositories>;
  end(): Promise<void>;
};

const withBatch = (product: Product, reference: string, quantity = 10, eta: string | null = null) =>
  addBatch(product, { reference, quantity, eta });

/** A ConcurrentUpdateError on every attempt: the unit of work gives up with a Conflict after its retries. */
const expectGaveUpAfterRetries = async (attempt: Promise<unknown>): Promise<void> => {
  const error: unknown = await attempt.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect(error).toMatchObject({ category: 'Conflict', name: 'ConcurrentModification' });
};

export const describeProductRepositoryContract = (makeSubject: () => Promise<ProductRepositorySubject>): void => {
  let subject: ProductRepositorySubject;
  const run = <T>(work: (repositories: InventoryRepositories) => Promise<T>) =>
    subject.unitOfWork.transaction('REPEATABLE READ', work);
  const stored = (sku: string) => run(({ products }) => products.get(sku));
  const saveNew = (product: Product) => run(({ products }) => products.save(product));

  beforeEach(async () => {
    subject = await makeSubject();
  });
  afterEach(async () => subject.end());

  it('stores a new product with its batches at version 1, and hands over its events once committed', async () => {
    const lamp = withBatch(withBatch(newProduct('LAMP', 'A lamp'), 'lamp-1', 10), 'lamp-2', 5, '2026-12-01');
    await saveNew(lamp);

    expect(await stored('LAMP')).toEqual({ ...lamp, version: 1, events: [] });
    expect(subject.unitOfWork.collectNewEvents()).toEqual(lamp.events);
    expect(await stored('DESK')).toBeNull();
  });

  it('finds the product owning a batch reference, and nothing for an unknown one', async () => {
    await saveNew(withBatch(newProduct('LAMP'), 'lamp-1'));
    await saveNew(withBatch(newProduct('DESK'), 'desk-1'));

    expect((await run(({ products }) => products.getByBatchReference('desk-1')))?.sku).toBe('DESK');
    expect(await run(({ products }) => products.getByBatchReference('bed-1'))).toBeNull();
  });

  it('saves a change at the loaded version and bumps it by one', async () => {
    await saveNew(withBatch(newProduct('LAMP'), 'lamp-1', 10));

    await run(async ({ products }) => {
      const lamp = await products.get('LAMP');
      if (lamp) await products.save(changeBatchQuantity(withBatch(lamp, 'lamp-2', 3), 'lamp-1', 4));
    });

    const lamp = await stored('LAMP');
    expect(lamp?.version).toBe(2);
    expect(lamp?.batches.map((batch) => [batch.reference, batch.purchasedQuantity])).toEqual([
      ['lamp-1', 4],
      ['lamp-2', 3],
    ]);
  });

  it('refuses a change over a stale version, and a second new product with the same SKU', async () => {
    await saveNew(withBatch(newProduct('LAMP'), 'lamp-1'));
    const stale = (await stored('LAMP')) as Product;
    await run(async ({ products }) => {
      const lamp = await products.get('LAMP');
      if (lamp) await products.save(withBatch(lamp, 'lamp-2'));
    });

    await expectGaveUpAfterRetries(run(({ products }) => products.save(withBatch(stale, 'lamp-3'))));
    await expectGaveUpAfterRetries(saveNew(newProduct('LAMP')));
    expect((await stored('LAMP'))?.batches.map((batch) => batch.reference)).toEqual(['lamp-1', 'lamp-2']);
  });

  it('refuses a batch reference another product holds (references are unique across products)', async () => {
    await saveNew(withBatch(newProduct('LAMP'), 'shared-1'));

    const expected = duplicateBatch('shared-1');
    await expect(saveNew(withBatch(newProduct('DESK'), 'shared-1'))).rejects.toMatchObject({
      name: expected.name,
      message: expected.message,
    });
    expect(await stored('DESK')).toBeNull();
  });

  it('keeps neither the product nor its events when the work fails after saving', async () => {
    await expect(
      run(async ({ products }) => {
        await products.save(withBatch(newProduct('LAMP'), 'lamp-1'));
        throw new Error('the handler failed');
      }),
    ).rejects.toThrow('the handler failed');

    expect(await stored('LAMP')).toBeNull();
    expect(subject.unitOfWork.collectNewEvents()).toEqual([]);
  });
};

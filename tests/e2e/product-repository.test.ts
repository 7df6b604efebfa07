import type { DatabasePool } from 'slonik';
import { ConcurrentUpdateError } from '../../src/core/errors.ts';
import { createProductRepository } from '../../src/inventory/adapters/slonik-product-repository.ts';
import { addBatch, newProduct } from '../../src/inventory/domain/product.ts';
import { createDatabasePool } from '../../src/platform/database/pool.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

// Real Postgres only: pg-mem answers INSERT ... ON CONFLICT DO NOTHING RETURNING with the existing row.
describe('the product repository on real Postgres', () => {
  let database: TestDatabase;
  let pool: DatabasePool;
  beforeAll(async () => {
    database = await createTestDatabase();
    pool = await createDatabasePool(database.url);
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  test('refuses to create a product that someone else created after it was found missing', async () => {
    const ignore = { record: () => undefined };
    const secondSave = await pool.transaction(async (connection) => {
      const first = createProductRepository(connection, ignore);
      const second = createProductRepository(connection, ignore);
      expect([await first.get('LAMP'), await second.get('LAMP')]).toEqual([null, null]);
      await first.save(addBatch(newProduct('LAMP', 'first'), { reference: 'mine', quantity: 1, eta: null }));
      return second
        .save(addBatch(newProduct('LAMP', 'second'), { reference: 'theirs', quantity: 1, eta: null }))
        .catch((error: unknown) => error);
    });
    expect(secondSave).toBeInstanceOf(ConcurrentUpdateError);
  });
});

import { sql } from 'slonik';
import { createInventoryViews } from '../../../src/inventory/adapters/slonik-inventory-views.ts';
import { createProductRepository } from '../../../src/inventory/adapters/slonik-product-repository.ts';
import {
  CREATED_AT,
  describeInventoryViewsContract,
  OWNER,
  SEEDED_PRODUCTS,
} from '../../contracts/inventory/inventory-views.ts';
import { createPgMemDatabase } from '../../support/pg-mem.ts';
import { fixedScope } from '../../support/scopes.ts';
import { insertUser } from '../identity/identity-rows.ts';

describe('the slonik inventory views', () => {
  describeInventoryViewsContract(async () => {
    const database = await createPgMemDatabase();
    await insertUser(database, { id: OWNER, email: 'owner@example.com' });
    await database.pool.transaction(async (connection) => {
      const products = createProductRepository(connection, { record: () => undefined });
      for (const product of SEEDED_PRODUCTS) await products.save(product);
      await connection.query(sql.unsafe`UPDATE products SET created_at = ${sql.timestamp(CREATED_AT)}`);
      await connection.query(sql.unsafe`UPDATE batches SET created_at = ${sql.timestamp(CREATED_AT)}`);
    });
    return { views: (scope) => createInventoryViews(database.pool, fixedScope(scope)), end: () => database.end() };
  });
});

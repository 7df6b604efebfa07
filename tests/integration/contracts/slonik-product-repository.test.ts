import { createAllocationsViewWriter } from '../../../src/inventory/adapters/slonik-allocations-view.ts';
import { createProductRepository } from '../../../src/inventory/adapters/slonik-product-repository.ts';
import { createSlonikInbox } from '../../../src/platform/database/inbox.ts';
import { createSlonikUnitOfWork } from '../../../src/platform/database/unit-of-work.ts';
import { describeProductRepositoryContract } from '../../contracts/inventory/product-repository.ts';
import { createPgMemDatabase } from '../../support/pg-mem.ts';

describe('the slonik product repository', () => {
  describeProductRepositoryContract(async () => {
    const database = await createPgMemDatabase();
    const unitOfWork = createSlonikUnitOfWork(
      database.pool,
      (connection, events) => ({
        products: createProductRepository(connection, events),
        allocationsView: createAllocationsViewWriter(connection),
        inbox: createSlonikInbox(connection),
      }),
      { maxAttempts: 3, baseDelayMs: 0 },
    );
    return { unitOfWork, end: () => database.end() };
  });
});

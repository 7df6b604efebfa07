import { describeProductRepositoryContract } from '../../contracts/inventory/product-repository.ts';
import { FakeInventoryUnitOfWork } from '../../fakes/fake-unit-of-work.ts';

describe('the fake inventory unit of work’s product repository', () => {
  describeProductRepositoryContract(async () => ({
    unitOfWork: new FakeInventoryUnitOfWork(),
    end: async () => undefined,
  }));
});

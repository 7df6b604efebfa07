import {
  CREATED_AT,
  describeInventoryViewsContract,
  SEEDED_PRODUCTS,
} from '../../contracts/inventory/inventory-views.ts';
import { createFakeInventoryViews } from '../../fakes/fake-inventory-views.ts';
import { FakeInventoryUnitOfWork } from '../../fakes/fake-unit-of-work.ts';
import { fixedScope } from '../../support/scopes.ts';

describe('the fake inventory views', () => {
  describeInventoryViewsContract(async () => {
    const store = new FakeInventoryUnitOfWork();
    // Saved once each, as the slonik side stores them: version 1.
    store.seed(...SEEDED_PRODUCTS.map((product) => ({ ...product, version: 1 })));
    return {
      views: (scope) => createFakeInventoryViews(store, CREATED_AT, fixedScope(scope)),
      end: async () => undefined,
    };
  });
});

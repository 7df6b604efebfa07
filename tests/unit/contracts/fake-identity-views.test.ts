import { describeIdentityViewsContract, SEEDED_USERS } from '../../contracts/identity/identity-views.ts';
import { createFakeIdentityViews } from '../../fakes/identity/fake-identity-views.ts';
import { FakeIdentityStore } from '../../fakes/identity/fake-identity-store.ts';
import { fixedScope } from '../../support/scopes.ts';

describe('the fake identity views', () => {
  describeIdentityViewsContract(async () => {
    const store = new FakeIdentityStore();
    for (const user of SEEDED_USERS) {
      store.seedUser({ ...user, passwordHash: 'hash', failedLogins: 0, lockedUntil: null, version: 1, events: [] });
    }
    return { views: (scope) => createFakeIdentityViews(store, fixedScope(scope)), end: async () => undefined };
  });
});

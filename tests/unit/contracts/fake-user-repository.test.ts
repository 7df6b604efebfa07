import { describeUserRepositoryContract } from '../../contracts/identity/user-repository.ts';
import { FakeIdentityStore } from '../../fakes/identity/fake-identity-store.ts';

describe('the fake identity store’s user repository', () => {
  describeUserRepositoryContract(async () => ({
    unitOfWork: new FakeIdentityStore().unitOfWork(),
    end: async () => undefined,
  }));
});

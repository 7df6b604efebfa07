import type { DomainEvent } from '../../../src/core/messages.ts';
import { describePasswordResetRepositoryContract } from '../../contracts/identity/password-reset-repository.ts';
import { FakePasswordResetTable } from '../../fakes/identity/fake-password-resets.ts';

describe('the fake password reset table', () => {
  describePasswordResetRepositoryContract(async () => {
    const table = new FakePasswordResetTable();
    return {
      // As the fake identity store commits: the draft's writes are applied only when the work returned.
      inTransaction: async (work) => {
        const events: DomainEvent[] = [];
        const draft = table.draft(events);
        const result = await work(draft.repository, events);
        draft.checkStillCurrent();
        draft.apply();
        return result;
      },
      end: async () => undefined,
    };
  });
});

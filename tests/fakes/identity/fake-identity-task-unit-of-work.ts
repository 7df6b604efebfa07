import type { DomainEvent } from '../../../src/core/messages.ts';
import type { IsolationLevel, UnitOfWork } from '../../../src/core/ports.ts';
import type { IdentityTaskRepositories } from '../../../src/identity/services/ports.ts';
import { FakeNotificationUnitOfWork } from '../fake-notification-unit-of-work.ts';
import { FakePasswordResetTable } from './fake-password-resets.ts';

/**
 * Identity's task unit of work in memory: the inbox and the mail of the notification fake (same promises: they commit
 * together, or not at all), plus the reset tokens the task reads.
 */
export class FakeIdentityTaskUnitOfWork implements UnitOfWork<IdentityTaskRepositories> {
  readonly mailroom = new FakeNotificationUnitOfWork();
  readonly resets: FakePasswordResetTable;

  constructor(resets: FakePasswordResetTable = new FakePasswordResetTable()) {
    this.resets = resets;
  }

  transaction<T>(isolation: IsolationLevel, work: (repositories: IdentityTaskRepositories) => Promise<T>): Promise<T> {
    return this.mailroom.transaction(isolation, ({ inbox, mail }) => {
      const draft = this.resets.draft([]);
      return work({ inbox, mail, passwordResets: draft.repository }).then((result) => {
        draft.checkStillCurrent();
        draft.apply();
        return result;
      });
    });
  }

  /** The task raises no events. */
  collectNewEvents(): DomainEvent[] {
    return [];
  }
}

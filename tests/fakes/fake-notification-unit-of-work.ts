import { ConcurrentUpdateError } from '../../src/core/errors.ts';
import type { DomainEvent } from '../../src/core/messages.ts';
import type { Email, EmailSender, Inbox, IsolationLevel, UnitOfWork } from '../../src/core/ports.ts';
import { withTransactionRetries } from '../../src/platform/database/retry.ts';
import { FAKE_RETRY_POLICY } from './fake-unit-of-work.ts';

/**
 * What a task that mails exactly once works on: the inbox and the mail, in one transaction (notifications' and
 * identity's task repositories both start with these). Typed from the kernel's ports, so the fake outlives any one
 * context.
 */
type MailroomRepositories = { readonly inbox: Inbox; readonly mail: EmailSender };

/**
 * The notification unit of work in memory, keeping the slonik one's promises: an attempt's inbox rows and mail
 * commit together only if its work resolves; an inbox insert that collides with a delivery committed meanwhile throws
 * ConcurrentUpdateError (as the primary key makes the adapter do), and the attempt is retried from the start.
 */
export class FakeNotificationUnitOfWork implements UnitOfWork<MailroomRepositories> {
  /** Committed inbox rows, as `consumer/messageId`. */
  readonly processed = new Set<string>();
  /** Committed mail, in sending order. */
  readonly sent: Email[] = [];
  /** The isolation level of every attempt, retries included. */
  readonly isolations: IsolationLevel[] = [];

  #beforeNextInsert: Array<() => Promise<void> | void> = [];
  #beforeNextSend: Array<(email: Email) => void> = [];

  /** Runs between the inbox's check and its insert, e.g. to commit a concurrent duplicate delivery. */
  beforeNextInsert(action: () => Promise<void> | void): this {
    this.#beforeNextInsert.push(action);
    return this;
  }

  /** The n-th send from now (1 = the next) throws `error`, as a transport that failed mid-task. */
  failSend(n: number, error: Error): this {
    for (let i = 1; i < n; i += 1) this.#beforeNextSend.push(() => undefined);
    this.#beforeNextSend.push(() => {
      throw error;
    });
    return this;
  }

  async transaction<T>(
    isolation: IsolationLevel,
    work: (repositories: MailroomRepositories) => Promise<T>,
  ): Promise<T> {
    return withTransactionRetries(FAKE_RETRY_POLICY, async () => {
      this.isolations.push(isolation);
      const processed = new Set<string>();
      const sent: Email[] = [];
      const result = await work({
        inbox: {
          firstDelivery: async (messageId, consumer) => {
            const key = `${consumer}/${messageId}`;
            if (this.processed.has(key) || processed.has(key)) return false;
            await this.#beforeNextInsert.shift()?.();
            if (this.processed.has(key)) throw new ConcurrentUpdateError(`Delivery of ${key}`);
            processed.add(key);
            return true;
          },
        },
        mail: {
          send: async (email) => {
            this.#beforeNextSend.shift()?.(email);
            sent.push(email);
          },
        },
      });
      for (const key of processed) this.processed.add(key);
      this.sent.push(...sent);
      return result;
    });
  }

  /** Notification tasks raise no events. */
  collectNewEvents(): DomainEvent[] {
    return [];
  }
}

import type { DomainEvent } from './messages.ts';

export type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

/**
 * One unit of work per message. `transaction` runs `work` in a single database transaction at the given
 * isolation level and, on a serialization failure or deadlock, runs it again from the start (bounded, with
 * jittered backoff). So `work` must do nothing but database work through the repositories it is given:
 * side effects belong in event handlers, which run after commit.
 */
export type UnitOfWork<Repositories> = {
  transaction<T>(isolation: IsolationLevel, work: (repositories: Repositories) => Promise<T>): Promise<T>;
  /** Events recorded by aggregates saved in committed transactions, oldest first. Drains the list. */
  collectNewEvents(): DomainEvent[];
};

/** Repositories hand the events of every aggregate they save to this, per transaction attempt. */
export type EventRecorder = { record(events: readonly DomainEvent[]): void };

export type Clock = { now(): Date };
export type IdGenerator = () => string;

/** The subset of pino the core uses, so tests can pass a recording fake. */
export type Logger = {
  error(object: object, message: string): void;
  warn(object: object, message: string): void;
  info(object: object, message: string): void;
  debug(object: object, message: string): void;
};

/**
 * Remembers which messages a consumer has handled, in the same transaction as the consumer's effect: deliveries
 * repeat (at least once), effects must not.
 */
export type Inbox = {
  /** True the first time `consumer` sees `messageId` (and records it); false for a repeat, which must do nothing. */
  firstDelivery(messageId: string, consumer: string): Promise<boolean>;
};

export type Email = { readonly to: string; readonly subject: string; readonly body: string };

/** Sends mail: SMTP in production, a `sent_emails` table in development and tests (to inspect what was sent). */
export type EmailSender = { send(email: Email): Promise<void> };

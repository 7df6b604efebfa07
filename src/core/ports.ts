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

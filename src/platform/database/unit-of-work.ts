import { sql, type DatabasePool, type DatabaseTransactionConnection } from 'slonik';
import type { DomainEvent } from '../../core/messages.ts';
import type { Clock, EventRecorder, IdGenerator, IsolationLevel, UnitOfWork } from '../../core/ports.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import { withTransactionRetries, type RetryPolicy } from './retry.ts';

/** Builds a context's repositories over one transaction; they report saved aggregates' events to `events`. */
export type RepositoryFactory<Repositories> = (
  connection: DatabaseTransactionConnection,
  events: EventRecorder,
) => Repositories;

const isolationStatement = {
  'READ COMMITTED': sql.unsafe`SET TRANSACTION ISOLATION LEVEL READ COMMITTED`,
  'REPEATABLE READ': sql.unsafe`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`,
  SERIALIZABLE: sql.unsafe`SET TRANSACTION ISOLATION LEVEL SERIALIZABLE`,
} as const;

/**
 * The transactional outbox: events some background task handles become jobs inside the transaction that raised
 * them, just before it commits. Commit: exactly one job per (event, task). Rollback, or an attempt that loses and
 * is retried: none from that attempt.
 */
export type Outbox = {
  /** The tasks an event starts (none for most events): by its type, and for some tasks by its content too. */
  readonly tasksFor: (event: DomainEvent) => readonly string[];
  readonly queue: JobQueue;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  /**
   * Tells the other instances what the committed events changed (subscriptions/notices.ts: a NOTIFY, heard only
   * if the transaction commits), so their subscribers hear of it. Absent: nothing is announced.
   */
  readonly announce?: (connection: DatabaseTransactionConnection, events: readonly DomainEvent[]) => Promise<void>;
};

const enqueueTasks = async (
  outbox: Outbox,
  connection: DatabaseTransactionConnection,
  events: readonly DomainEvent[],
) => {
  for (const event of events) {
    const tasks = outbox.tasksFor(event);
    if (tasks.length === 0) continue;
    const envelope = { id: outbox.ids(), event, occurredAt: outbox.clock.now().toISOString() };
    for (const task of tasks) await outbox.queue.enqueue(connection, task, envelope);
  }
};

/**
 * The slonik unit of work. Each attempt gets a fresh transaction, fresh repositories and a fresh event list,
 * so a retried attempt can never leak the events of one that rolled back.
 */
export const createSlonikUnitOfWork = <Repositories>(
  pool: DatabasePool,
  repositories: RepositoryFactory<Repositories>,
  retryPolicy: RetryPolicy,
  outbox?: Outbox,
): UnitOfWork<Repositories> => {
  const committed: DomainEvent[] = [];

  return {
    async transaction(isolation: IsolationLevel, work) {
      return withTransactionRetries(retryPolicy, async () => {
        const pending: DomainEvent[] = [];
        // An aggregate keeps its events after a save: saving it again in the same attempt must not repeat them.
        const recorded = new WeakSet<DomainEvent>();
        const recorder: EventRecorder = {
          record: (events) => {
            for (const event of events) {
              if (recorded.has(event)) continue;
              recorded.add(event);
              pending.push(event);
            }
          },
        };
        const result = await pool.transaction(async (connection) => {
          // Must be the first statement of the transaction for Postgres to accept it.
          await connection.query(isolationStatement[isolation]);
          const answer = await work(repositories(connection, recorder));
          if (outbox) await enqueueTasks(outbox, connection, pending);
          await outbox?.announce?.(connection, pending);
          return answer;
        });
        committed.push(...pending);
        return result;
      });
    },
    collectNewEvents: () => committed.splice(0),
  };
};

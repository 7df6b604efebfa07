import { sql, type DatabasePool, type DatabaseTransactionConnection } from 'slonik';
import type { DomainEvent } from '../../core/messages.ts';
import type { EventRecorder, IsolationLevel, UnitOfWork } from '../../core/ports.ts';
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
 * The slonik unit of work. Each attempt gets a fresh transaction, fresh repositories and a fresh event list,
 * so a retried attempt can never leak the events of one that rolled back.
 */
export const createSlonikUnitOfWork = <Repositories>(
  pool: DatabasePool,
  repositories: RepositoryFactory<Repositories>,
  retryPolicy: RetryPolicy,
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
          return work(repositories(connection, recorder));
        });
        committed.push(...pending);
        return result;
      });
    },
    collectNewEvents: () => committed.splice(0),
  };
};

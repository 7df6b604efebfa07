import { sql, type DatabaseTransactionConnection } from 'slonik';
import type { Envelope } from '../../core/messages.ts';

/**
 * Where the outbox puts a task's job: inside the transaction that raised the event, so the job exists exactly
 * when the write committed (rollback: no job; each retry attempt is its own transaction).
 */
export type JobQueue = {
  enqueue(connection: DatabaseTransactionConnection, task: string, envelope: Envelope): Promise<void>;
};

/**
 * graphile-worker's queue: `add_job` is a plain SQL function, so it joins the caller's transaction. The job's
 * key is the (message, task) pair, so even a bug that enqueued twice would leave one job.
 */
export const createGraphileJobQueue = (options: { readonly maxAttempts: number }): JobQueue => ({
  enqueue: async (connection, task, envelope) => {
    await connection.query(sql.unsafe`
      SELECT graphile_worker.add_job(
        ${task}::text, ${JSON.stringify(envelope)}::json,
        max_attempts => ${options.maxAttempts}::int, job_key => ${`${task}:${envelope.id}`}::text)`);
  },
});

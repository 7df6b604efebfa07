import { sql, type CommonQueryMethods } from 'slonik';
import { z } from 'zod';
import { DomainError } from '../../core/errors.ts';

/** A job that used up its attempts (the FailedJob of schema/jobs.graphql). */
export type FailedJobView = {
  readonly jobId: string;
  readonly task: string;
  /** The job's payload (an Envelope, or whatever a broken producer wrote) as JSON text. */
  readonly payload: string;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly failedAt: Date;
};

export type JobViews = { failedJobs(args: { readonly first?: number | null }): Promise<FailedJobView[]> };

const MAX_PAGE = 100;
const DEFAULT_PAGE = 20;

const failedJobRow = z.object({
  jobId: z.string(),
  task: z.string(),
  payload: z.string(),
  attempts: z.number(),
  maxAttempts: z.number(),
  lastError: z.string().nullable(),
  createdAt: z.date(),
  failedAt: z.date(),
});

/** No silent clamp, as for connections: a client asking for 1000 and getting 100 would take that for the list. */
const pageSize = (first: number | null | undefined): number => {
  if (first === null || first === undefined) return DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE) {
    throw new DomainError('InvalidInput', 'InvalidPageSize', `first must be an integer from 0 to ${MAX_PAGE}`, {
      field: 'first',
    });
  }
  return first;
};

/**
 * Reads graphile-worker 0.18's `graphile_worker.jobs` view. Failed for good: attempts used up and not running (a job
 * on its last attempt already counts it while locked). The view has no payload, so it comes from `_private_jobs`.
 * graphile-worker records no failure time: a failed attempt sets run_at = now() + exp(least(attempts, 10)) seconds,
 * so that is undone; `permanently_fail_jobs` (an operator giving up) bumps updated_at instead, hence the greatest().
 */
export const createJobViews = (db: CommonQueryMethods): JobViews => ({
  async failedJobs(args) {
    const limit = pageSize(args.first);
    if (limit === 0) return [];
    const rows = await db.any(sql.type(failedJobRow)`
      WITH failed AS (
        SELECT jobs.*,
          greatest(jobs.updated_at, jobs.run_at - exp(least(jobs.attempts, 10)) * interval '1 second') AS failed_at
        FROM graphile_worker.jobs AS jobs
        WHERE jobs.attempts >= jobs.max_attempts AND jobs.locked_at IS NULL
      )
      SELECT failed.id::text AS "jobId", failed.task_identifier AS task, private.payload::text AS payload,
        failed.attempts::int AS attempts, failed.max_attempts::int AS "maxAttempts", failed.last_error AS "lastError",
        failed.created_at AS "createdAt", failed.failed_at AS "failedAt"
      FROM failed JOIN graphile_worker._private_jobs AS private ON private.id = failed.id
      ORDER BY failed.failed_at DESC, failed.id DESC
      LIMIT ${limit}`);
    return [...rows];
  },
});

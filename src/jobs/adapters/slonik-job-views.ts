import { sql, type CommonQueryMethods } from 'slonik';
import { z } from 'zod';
import { DomainError } from '../../core/errors.ts';
import { connectionFromRows, pageRequest, type CursorKey } from '../../core/pagination.ts';
import { keysetPage } from '../../platform/database/keyset.ts';
import type { FailedJobView, JobViews } from '../services/views.ts';

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
const count = z.object({ count: z.number() });

const FAILED_AT = sql.identifier(['failed', 'failed_at']);
const JOB_ID = sql.identifier(['failed', 'id']);
const jobKey = (job: FailedJobView): CursorKey => [job.failedAt.toISOString(), job.jobId];

/** Cursors are opaque but not signed: a forged key must fail as bad input, not reach Postgres and fail there. */
const assertJobKeys = (keys: { after: CursorKey | null; before: CursorKey | null }): void => {
  for (const field of ['after', 'before'] as const) {
    const [failedAt, jobId] = keys[field] ?? [];
    if (!keys[field]) continue;
    const isInstant = typeof failedAt === 'string' && !Number.isNaN(Date.parse(failedAt));
    if (!isInstant || typeof jobId !== 'string' || !/^\d{1,19}$/.test(jobId)) {
      throw new DomainError('InvalidInput', 'InvalidCursor', `The ${field} cursor does not fit this list`, { field });
    }
  }
};

/**
 * Reads graphile-worker 0.18's `graphile_worker.jobs` view. Failed for good: attempts used up and not running (a
 * job on its last attempt already counts it while locked). The view has no payload, so it comes from
 * `_private_jobs`. graphile-worker records no failure time: a failed attempt sets run_at = now() +
 * exp(least(attempts, 10)) seconds, so that is undone; `permanently_fail_jobs` (an operator giving up) bumps
 * updated_at instead, hence the greatest(). Truncated to milliseconds, so a cursor (a JS Date) names it exactly.
 */
const FAILED = sql.fragment`
  SELECT jobs.*, date_trunc('milliseconds',
    greatest(jobs.updated_at, jobs.run_at - exp(least(jobs.attempts, 10)) * interval '1 second')) AS failed_at
  FROM graphile_worker.jobs AS jobs
  WHERE jobs.attempts >= jobs.max_attempts AND jobs.locked_at IS NULL`;

export const createJobViews = (db: CommonQueryMethods): JobViews => ({
  async failedJobs(args) {
    const request = pageRequest('failedJobs', args, 2);
    assertJobKeys(request);
    const page = keysetPage({ key: { column: FAILED_AT, direction: 'DESC' }, tieBreaker: JOB_ID, request });
    const rows = await db.any(sql.type(failedJobRow)`
      WITH failed AS (${FAILED})
      SELECT failed.id::text AS "jobId", failed.task_identifier AS task, private.payload::text AS payload,
        failed.attempts::int AS attempts, failed.max_attempts::int AS "maxAttempts", failed.last_error AS "lastError",
        failed.created_at AS "createdAt", failed.failed_at AS "failedAt"
      FROM failed JOIN graphile_worker._private_jobs AS private ON private.id = failed.id
      WHERE ${page.where}
      ORDER BY ${page.orderBy} LIMIT ${page.limit}`);
    return {
      ...connectionFromRows(rows, request, jobKey),
      totalCount: () => db.oneFirst(sql.type(count)`WITH failed AS (${FAILED}) SELECT count(*) AS count FROM failed`),
    };
  },
});

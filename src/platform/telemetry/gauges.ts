/**
 * Values read when Prometheus scrapes: the connection pool's use, the job queue's depth (one query per scrape, from
 * the process that runs jobs) and the count of operations outside the trusted documents.
 */
import type { Meter } from '@opentelemetry/api';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { poolUsage } from '../database/pool-gate.ts';

/** Connections in use and calls waiting for one: a pool always full with callers waiting is too small. */
export const observePool = (meter: Meter, pool: DatabasePool): void => {
  const connections = meter.createObservableGauge('kingdom.db.pool.connections', {
    description: 'Database connections of this process: in use, and the most it may open (DATABASE_POOL_SIZE)',
  });
  const waiting = meter.createObservableGauge('kingdom.db.pool.waiting', {
    description: 'Calls waiting for a database connection of this process',
  });
  meter.addBatchObservableCallback(
    (result) => {
      const usage = poolUsage(pool);
      if (!usage) return;
      result.observe(connections, usage.inUse, { state: 'in_use' });
      result.observe(connections, usage.size, { state: 'max' });
      result.observe(waiting, usage.waiting);
    },
    [connections, waiting],
  );
};

const queueRow = z.object({ ready: z.number(), scheduled: z.number(), running: z.number(), failed: z.number() });

/**
 * graphile-worker's jobs by state. `ready`: due and waiting for a worker (the depth to alert on); `scheduled`: due
 * later (retries in their backoff); `running`: locked by a worker; `failed`: no attempt left (Query.failedJobs).
 * Every worker reports the same numbers: aggregate them with max(), not sum().
 */
export const observeJobQueue = (meter: Meter, pool: DatabasePool): void => {
  const depth = meter.createObservableGauge('kingdom.jobs.queue', {
    description: 'Jobs in the queue, by state (ready, scheduled, running, failed)',
  });
  depth.addCallback(async (result) => {
    const row = await pool
      .one(
        sql.type(queueRow)`
          SELECT
            count(*) FILTER (WHERE locked_at IS NULL AND attempts < max_attempts AND run_at <= now())::int AS ready,
            count(*) FILTER (WHERE locked_at IS NULL AND attempts < max_attempts AND run_at > now())::int AS scheduled,
            count(*) FILTER (WHERE locked_at IS NOT NULL)::int AS running,
            count(*) FILTER (WHERE locked_at IS NULL AND attempts >= max_attempts)::int AS failed
          FROM graphile_worker.jobs`,
      )
      // The database is unreachable: no figure this time, rather than a wrong one.
      .catch(() => undefined);
    if (!row) return;
    for (const state of ['ready', 'scheduled', 'running', 'failed'] as const) result.observe(row[state], { state });
  });
};

/** Operations outside the trusted documents since start-up (TRUSTED_DOCUMENTS=log or enforce). */
export const observeUnknownOperations = (meter: Meter, count: () => number): void => {
  meter
    .createObservableCounter('kingdom.trusted_documents.unknown_operations', {
      description: 'Operations received that are not in the trusted documents manifest',
    })
    .addCallback((result) => result.observe(count()));
};

/**
 * What the multi-instance tests check in the database itself, after the load: every write a client was told
 * succeeded is there, every out-of-stock order was mailed exactly once, and the job queue drains with nothing
 * failed for good. A fresh pool per check: connections from before a Postgres restart are dead.
 */
import { createPool, sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { eventually } from './worker-process.ts';

export const withDatabase = async <T>(url: string, run: (pool: DatabasePool) => Promise<T>): Promise<T> => {
  const pool = await createPool(url, { maximumPoolSize: 1 });
  pool.on('error', () => undefined);
  try {
    return await run(pool);
  } finally {
    await pool.end();
  }
};

const ORDER_IN_EMAIL = /^Order (\S+) asked/;

/** Out-of-stock emails per order id: for `ids`, and for every order mailed. */
export const emailCounts = (databaseUrl: string, ids: readonly string[]) =>
  withDatabase(databaseUrl, async (pool) => {
    const bodies = await pool.anyFirst(sql.type(z.object({ body: z.string() }))`SELECT body FROM sent_emails`);
    const counts = new Map(ids.map((id) => [id, 0]));
    const all = new Map<string, number>();
    for (const body of bodies) {
      const order = ORDER_IN_EMAIL.exec(body)?.[1];
      if (!order) continue;
      all.set(order, (all.get(order) ?? 0) + 1);
      if (counts.has(order)) counts.set(order, counts.get(order)! + 1);
    }
    return { counts, all };
  });

/** Waits until every order has its out-of-stock email; emails per order id. */
export const emailsFor = (databaseUrl: string, ids: readonly string[], what: string) =>
  eventually(
    async () => {
      const { counts } = await emailCounts(databaseUrl, ids);
      return [...counts.values()].every((count) => count > 0) ? counts : undefined;
    },
    what,
    30_000,
  );

/**
 * Jobs for `count` out-of-stock orders of SCARCE, enqueued in one statement as the outbox would have (a backlog the
 * workers are still working through a moment later); their order ids.
 */
export const enqueueBacklog = async (databaseUrl: string, prefix: string, count: number): Promise<string[]> => {
  await withDatabase(databaseUrl, (pool) =>
    pool.query(sql.unsafe`
      SELECT graphile_worker.add_job('notifyOutOfStock', json_build_object(
        'id', gen_random_uuid(),
        'event', json_build_object('type', 'OutOfStock', 'sku', 'SCARCE', 'orderId', ${prefix} || '-' || n, 'quantity', 5),
        'occurredAt', now()))
      FROM generate_series(1, ${count}::int) AS n`),
  );
  return Array.from({ length: count }, (_, index) => `${prefix}-${index + 1}`);
};

/** Acknowledged allocations stored, acknowledged out-of-stock orders mailed once, no mail twice, the queue empty. */
export const verifyOutcomes = async (
  databaseUrl: string,
  acknowledged: { readonly allocated: readonly string[]; readonly outOfStock: readonly string[] },
): Promise<void> => {
  const stored = await withDatabase(databaseUrl, (pool) =>
    pool.anyFirst(sql.type(z.object({ order_id: z.string() }))`
      SELECT order_id FROM allocations WHERE order_id = ANY(${sql.array([...acknowledged.allocated], 'text')})`),
  );
  expect(new Set(stored)).toEqual(new Set(acknowledged.allocated));
  const counts = await emailsFor(databaseUrl, acknowledged.outOfStock, 'every acknowledged out-of-stock order mailed');
  expect([...counts.entries()].filter(([, count]) => count !== 1)).toEqual([]);
  const { all } = await emailCounts(databaseUrl, []);
  expect([...all.entries()].filter(([, count]) => count > 1)).toEqual([]);
  // Every job ran to completion: none waiting, retrying, or failed for good. A job whose attempt failed during an
  // outage waits graphile-worker's backoff before its next one (e^attempts seconds: 20 s after a third failure, 55 s
  // after a fourth), so the queue is given 90 s; a failure names what is left.
  const remaining = () =>
    withDatabase(databaseUrl, (pool) =>
      pool.any(sql.type(
        z.object({
          task: z.string(),
          attempts: z.number(),
          locked: z.boolean(),
          due_in_s: z.number(),
          error: z.string().nullable(),
        }),
      )`SELECT task_identifier AS task, attempts, locked_at IS NOT NULL AS locked,
               extract(epoch FROM run_at - now())::int AS due_in_s, last_error AS error
          FROM graphile_worker.jobs`),
    );
  try {
    await eventually(
      async () => ((await remaining()).length === 0 ? true : undefined),
      'the job queue to drain',
      90_000,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; jobs left: ${JSON.stringify(await remaining())}`, { cause: error });
  }
};

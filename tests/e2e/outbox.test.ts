/**
 * The transactional outbox on real Postgres (docs/decisions/0003-outbox-on-graphile-worker.md): a background task's
 * job exists exactly when the write that raised its event committed. Through the HTTP API for the real allocate, and
 * through the unit of work directly for rollback and for a retried transaction.
 */
import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import type { EventRecorder } from '../../src/core/ports.ts';
import { createDatabasePool } from '../../src/platform/database/pool.ts';
import { createSlonikUnitOfWork, type Outbox } from '../../src/platform/database/unit-of-work.ts';
import { createGraphileJobQueue, type JobQueue } from '../../src/platform/jobs/job-queue.ts';
import { AddBatchDocument, AllocateDocument } from '../generated/graphql.ts';
import { startTestServer, type TestServer } from './support/server.ts';

jest.setTimeout(30_000);

const jobRow = z.object({
  task: z.string(),
  payload: z.unknown(),
  maxAttempts: z.number(),
  key: z.string().nullable(),
});

let server: TestServer;
let pool: DatabasePool;

/** Every job in the queue, with its payload (graphile_worker.jobs, the public view, leaves the payload out). */
const jobs = () =>
  pool.any(sql.type(jobRow)`
    SELECT tasks.identifier AS task, jobs.payload, jobs.max_attempts::int AS "maxAttempts", jobs.key
    FROM graphile_worker._private_jobs AS jobs JOIN graphile_worker._private_tasks AS tasks ON tasks.id = jobs.task_id
    ORDER BY jobs.id`);

const allocate = (orderId: string, sku: string, quantity: number) =>
  server.admin(AllocateDocument, { input: { orderId, sku, quantity } });

beforeAll(async () => {
  server = await startTestServer();
  pool = await createDatabasePool(server.database.url, { maxPoolSize: 2 });
  const added = await server.admin(AddBatchDocument, {
    input: { reference: 'outbox-1', sku: 'OUTBOX-LAMP', quantity: 3 },
  });
  expect(added.body.errors).toBeUndefined();
});
beforeEach(() => pool.query(sql.unsafe`DELETE FROM graphile_worker._private_jobs`));
afterAll(async () => {
  await pool?.end();
  await server?.close();
});

describe('through the API', () => {
  test('an allocation that finds no stock answers OUT_OF_STOCK and leaves exactly one notifyOutOfStock job with the event', async () => {
    const response = await allocate('order-short', 'OUTBOX-LAMP', 50);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('OUT_OF_STOCK');

    const queued = await jobs();
    expect(queued).toHaveLength(1);
    const [job] = queued;
    expect(job).toMatchObject({ task: 'notifyOutOfStock', maxAttempts: expect.any(Number) });
    expect(job!.payload).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      event: { type: 'OutOfStock', sku: 'OUTBOX-LAMP', orderId: 'order-short', quantity: 50 },
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    // Keyed by (task, message): a second enqueue of the same envelope would replace, not duplicate.
    expect(job!.key).toBe(`notifyOutOfStock:${(job!.payload as { id: string }).id}`);
  });

  test('an allocation that succeeds enqueues nothing (no task handles Allocated)', async () => {
    const response = await allocate('order-fits', 'OUTBOX-LAMP', 1);
    expect(response.body.errors).toBeUndefined();
    expect(await jobs()).toEqual([]);
  });
});

describe('the unit of work', () => {
  const outOfStock = { type: 'OutOfStock', sku: 'UOW-SKU', orderId: 'uow-order', quantity: 2 } as const;
  /** A repository that only raises the event, as a product saved with an OutOfStock verdict would. */
  const repositories = (_connection: unknown, events: EventRecorder) => ({ raise: () => events.record([outOfStock]) });
  const outbox = (queue: JobQueue): Outbox => ({
    tasksFor: (event) => (event.type === 'OutOfStock' ? ['notifyOutOfStock'] : []),
    queue,
    ids: randomUUID,
    clock: { now: () => new Date() },
  });
  const graphileQueue = createGraphileJobQueue({ maxAttempts: 3 });
  const noWait = { maxAttempts: 3, baseDelayMs: 0 };

  test('a handler that fails after raising the event enqueues nothing', async () => {
    const uow = createSlonikUnitOfWork(pool, repositories, noWait, outbox(graphileQueue));
    const failing = uow.transaction('READ COMMITTED', async ({ raise }) => {
      raise();
      throw new Error('the handler changed its mind');
    });
    await expect(failing).rejects.toThrow('the handler changed its mind');
    expect(await jobs()).toEqual([]);
    expect(uow.collectNewEvents()).toEqual([]);
  });

  test('a transaction that rolls back after add_job ran leaves no job: the job was written in that transaction', async () => {
    let enqueued = 0;
    const queueThenFail: JobQueue = {
      enqueue: async (connection, task, envelope) => {
        await graphileQueue.enqueue(connection, task, envelope);
        enqueued += 1;
        throw new Error('commit-time failure');
      },
    };
    const uow = createSlonikUnitOfWork(pool, repositories, noWait, outbox(queueThenFail));
    await expect(uow.transaction('READ COMMITTED', async ({ raise }) => raise())).rejects.toThrow(
      'commit-time failure',
    );
    expect(enqueued).toBe(1);
    expect(await jobs()).toEqual([]);
  });

  test('a transaction retried after a serialization failure enqueues once: the losing attempt’s job rolled back', async () => {
    let attempts = 0;
    const queueLosingOnce: JobQueue = {
      enqueue: async (connection, task, envelope) => {
        attempts += 1;
        await graphileQueue.enqueue(connection, task, envelope);
        // What Postgres raises at SERIALIZABLE when a concurrent transaction won: pg's DatabaseError, code 40001.
        if (attempts === 1) throw Object.assign(new Error('could not serialize access'), { code: '40001' });
      },
    };
    const uow = createSlonikUnitOfWork(pool, repositories, noWait, outbox(queueLosingOnce));
    await uow.transaction('SERIALIZABLE', async ({ raise }) => raise());

    expect(attempts).toBe(2);
    const queued = await jobs();
    expect(queued).toHaveLength(1);
    expect(queued[0]!.payload).toMatchObject({ event: outOfStock });
    expect(uow.collectNewEvents()).toEqual([outOfStock]);
  });
});

/**
 * The transactional outbox of the unit of work, on pg-mem: jobs are written through the transaction's own
 * connection, so a rolled-back attempt leaves none and a committed one leaves exactly one per (event, task).
 * (The real graphile_worker.add_job is exercised on Postgres in tests/e2e/outbox.test.ts.)
 */
import { sql, type DatabaseTransactionConnection } from 'slonik';
import { z } from 'zod';
import type { DomainEvent } from '../../../src/core/messages.ts';
import type { EventRecorder } from '../../../src/core/ports.ts';
import { taskRoutes } from '../../../src/core/tasks.ts';
import type { RetryPolicy } from '../../../src/platform/database/retry.ts';
import { createSlonikUnitOfWork, type Outbox } from '../../../src/platform/database/unit-of-work.ts';
import type { JobQueue } from '../../../src/platform/jobs/job-queue.ts';
import { createPgMemDatabase, type PgMemDatabase } from '../../support/pg-mem.ts';

let database: PgMemDatabase;

beforeEach(async () => {
  database = await createPgMemDatabase();
  await database.pool.query(
    sql.unsafe`CREATE TABLE outbox_probe (task text NOT NULL, message_id text NOT NULL, event jsonb NOT NULL)`,
  );
});
afterEach(async () => database.end());

/** A queue that writes where the business write goes: through the transaction's connection. */
const probeQueue: JobQueue = {
  enqueue: async (connection: DatabaseTransactionConnection, task, envelope) => {
    await connection.query(
      sql.unsafe`INSERT INTO outbox_probe (task, message_id, event) VALUES (${task}, ${envelope.id}, ${sql.jsonb(JSON.parse(JSON.stringify(envelope.event)))})`,
    );
  },
};

type Whispered = { readonly type: 'Whispered'; readonly audible?: boolean };

let nextId = 0;
const outbox: Outbox = {
  tasksFor: taskRoutes({
    tellEveryone: { on: 'Shouted' },
    writeItDown: { on: 'Shouted' },
    overhear: { on: 'Whispered', when: (event: Whispered) => event.audible === true },
  }),
  queue: probeQueue,
  ids: () => `message-${(nextId += 1)}`,
  clock: { now: () => new Date('2026-11-25T12:00:00.000Z') },
};

const policy: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1, sleep: async () => undefined };

/** Repositories that only record events, like an aggregate's save would. */
const unitOfWork = () =>
  createSlonikUnitOfWork(
    database.pool,
    (_connection, events: EventRecorder) => ({ record: (event: DomainEvent) => events.record([event]) }),
    policy,
    outbox,
  );

const jobs = async () =>
  database.pool.any(
    sql.type(
      z.object({ task: z.string(), message_id: z.string() }),
    )`SELECT task, message_id FROM outbox_probe ORDER BY task`,
  );

describe('the outbox', () => {
  it('enqueues one job per task of each committed event, with one message id shared by its tasks', async () => {
    await unitOfWork().transaction('READ COMMITTED', async ({ record }) => {
      record({ type: 'Shouted' });
      record({ type: 'Whispered' });
    });

    const enqueued = await jobs();
    expect(enqueued.map((job) => job.task)).toEqual(['tellEveryone', 'writeItDown']);
    expect(new Set(enqueued.map((job) => job.message_id)).size).toBe(1);
  });

  it('enqueues a task only for the events its `when` accepts, asking about each event', async () => {
    await unitOfWork().transaction('READ COMMITTED', async ({ record }) => {
      record({ type: 'Whispered', audible: false } as Whispered);
      record({ type: 'Whispered', audible: true } as Whispered);
    });

    const enqueued = await jobs();
    expect(enqueued.map((job) => job.task)).toEqual(['overhear']);
  });

  it('enqueues nothing when the transaction rolls back', async () => {
    await expect(
      unitOfWork().transaction('READ COMMITTED', async ({ record }) => {
        record({ type: 'Shouted' });
        throw new Error('the write failed after raising the event');
      }),
    ).rejects.toThrow('the write failed');

    expect(await jobs()).toEqual([]);
  });

  it('enqueues once when an attempt loses a serialization failure and is retried', async () => {
    let attempts = 0;
    await unitOfWork().transaction('SERIALIZABLE', async ({ record }) => {
      attempts += 1;
      record({ type: 'Shouted' });
      if (attempts === 1) throw Object.assign(new Error('could not serialize access'), { code: '40001' });
    });

    expect(attempts).toBe(2);
    expect((await jobs()).map((job) => job.task)).toEqual(['tellEveryone', 'writeItDown']);
  });
});

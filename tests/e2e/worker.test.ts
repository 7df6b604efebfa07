/**
 * The worker process (`npm run worker`) on real Postgres: it runs the jobs the API's outbox enqueued, stops
 * gracefully, loses no job to a crash, shares the queue with another worker without running a job twice, and leaves
 * a job that keeps failing where an administrator can see it (Query.failedJobs).
 *
 * A job is made slow by holding `LOCK TABLE sent_emails IN EXCLUSIVE MODE` from the test: the task's INSERT of the
 * email waits for it, inside the task's transaction, until the test lets go.
 */
import { jest } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { createDatabasePool } from '../../src/platform/database/pool.ts';
import {
  AddBatchDocument,
  AllocateDocument,
  SignUpDocument,
  type WorkerFailedJobsQuery,
} from '../generated/graphql.ts';
import { graphql } from '../generated/index.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import {
  eventually,
  exitWithin,
  killLeftoverWorkers,
  spawnWorker,
  type WorkerProcess,
} from './support/worker-process.ts';

// Spawns real processes and waits on graphile-worker's retry backoff: generous, but every wait below is bounded.
jest.setTimeout(60_000);
/** Locks a failed test left held: released after the workers are gone, so the next test starts clean. */
const heldLocks = new Set<() => Promise<void>>();
afterEach(async () => {
  killLeftoverWorkers();
  await Promise.all([...heldLocks].map((release) => release()));
});

const RECIPIENTS = ['warehouse@e2e.test', 'buyer@e2e.test'];
const SKU = 'WORKER-LAMP';

let server: TestServer;
let pool: DatabasePool;

const workerEnvironment = (extra: Record<string, string> = {}) => ({
  DATABASE_URL: server.database.url,
  OUT_OF_STOCK_NOTIFY: RECIPIENTS.join(','),
  ...extra,
});

const envelope = (orderId: string) => ({
  id: randomUUID(),
  event: { type: 'OutOfStock', sku: SKU, orderId, quantity: 2 },
  occurredAt: new Date().toISOString(),
});

/** As a producer outside the API would: graphile-worker's SQL function. Returns the job id. */
const addJob = (payload: unknown, maxAttempts = 5): Promise<string> =>
  pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    SELECT (graphile_worker.add_job('notifyOutOfStock', ${JSON.stringify(payload)}::json, max_attempts => ${maxAttempts}::int)).id::text AS id`);

const count = z.object({ count: z.number() });
const countOf = (table: 'sent_emails' | 'processed_messages' | 'graphile_worker.jobs') =>
  pool.oneFirst(sql.type(count)`SELECT count(*) AS count FROM ${sql.identifier(table.split('.'))}`);

const jobState = z.object({ attempts: z.number(), lockedBy: z.string().nullable(), lastError: z.string().nullable() });
const job = (id: string) =>
  pool.maybeOne(sql.type(jobState)`
    SELECT attempts::int, locked_by AS "lockedBy", last_error AS "lastError" FROM graphile_worker.jobs WHERE id = ${id}::bigint`);

/** Resolves once every job is done: each handled once, its emails written, nothing left in the queue. */
const drained = (jobs: number) =>
  eventually(
    async () =>
      (await countOf('processed_messages')) === jobs && (await countOf('graphile_worker.jobs')) === 0
        ? true
        : undefined,
    `${jobs} processed messages and an empty queue`,
  );

/** Holds an exclusive lock on sent_emails (reads still pass; the task's INSERT waits) until `release()`. */
const holdSentEmails = async (): Promise<{ release(): Promise<void> }> => {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const transaction = pool.transaction(async (connection) => {
    await connection.query(sql.unsafe`LOCK TABLE sent_emails IN EXCLUSIVE MODE`);
    locked();
    await released;
  });
  await Promise.race([isLocked, transaction]);
  const releaseOnce = async () => {
    heldLocks.delete(releaseOnce);
    release();
    await transaction;
  };
  heldLocks.add(releaseOnce);
  return { release: releaseOnce };
};

/** How many sessions wait for our lock on sent_emails: tasks stuck mid-transaction. */
const waitingOnSentEmails = () =>
  pool.oneFirst(sql.type(count)`
    SELECT count(*) AS count FROM pg_locks
    WHERE NOT granted AND relation = 'sent_emails'::regclass
      AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);

const blockedTasks = (n: number) =>
  eventually(
    async () => ((await waitingOnSentEmails()) === n ? true : undefined),
    `${n} task(s) blocked on sent_emails`,
  );

const completedBy = (worker: WorkerProcess): string[] =>
  worker.logs.filter((line) => line.msg === 'job completed').map((line) => String(line.jobId));

beforeAll(async () => {
  server = await startTestServer();
  pool = await createDatabasePool(server.database.url, { maxPoolSize: 4 });
  const added = await server.admin(AddBatchDocument, { input: { reference: 'worker-1', sku: SKU, quantity: 1 } });
  expect(added.body.errors).toBeUndefined();
});
beforeEach(async () => {
  await pool.query(sql.unsafe`DELETE FROM graphile_worker._private_jobs`);
  await pool.query(sql.unsafe`TRUNCATE sent_emails, processed_messages`);
});
afterAll(async () => {
  await pool?.end();
  await server?.close();
});

test('runs the job an out-of-stock allocation enqueued: one email per recipient, once; SIGTERM while idle exits 0', async () => {
  const worker = await spawnWorker(workerEnvironment());
  expect(worker.workerId).toMatch(/^pool-/);

  const allocated = await server.admin(AllocateDocument, {
    input: { orderId: 'order-w1', sku: SKU, quantity: 5 },
  });
  expect(allocated.body.errors?.[0]?.extensions?.code).toBe('OUT_OF_STOCK');
  await drained(1);

  const emails = await pool.any(sql.type(z.object({ recipient: z.string(), subject: z.string(), body: z.string() }))`
    SELECT recipient, subject, body FROM sent_emails ORDER BY recipient`);
  expect(emails.map((email) => email.recipient)).toEqual([...RECIPIENTS].sort());
  expect(emails.every((email) => email.subject === `Out of stock: ${SKU}` && email.body.includes('order-w1'))).toBe(
    true,
  );
  expect(
    await pool.oneFirst(sql.type(z.object({ consumer: z.string() }))`SELECT consumer FROM processed_messages`),
  ).toBe('notifyOutOfStock');
  expect(completedBy(worker)).toHaveLength(1);

  worker.child.kill('SIGTERM');
  expect(await exitWithin(worker, 10_000)).toBe(0);
  expect(worker.logs.some((line) => line.msg === 'stopped cleanly')).toBe(true);
});

test('SIGTERM while a job runs lets that job finish, then exits 0', async () => {
  const worker = await spawnWorker(workerEnvironment({ WORKER_CONCURRENCY: '1' }));
  const lock = await holdSentEmails();
  const jobId = await addJob(envelope('order-graceful'));
  await blockedTasks(1);

  worker.child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(worker.child.exitCode).toBeNull(); // still waiting for its job
  expect((await job(jobId))?.lockedBy).toBe(worker.workerId);

  await lock.release();
  expect(await exitWithin(worker, 10_000)).toBe(0);
  expect(completedBy(worker)).toEqual([jobId]);
  expect(await countOf('sent_emails')).toBe(RECIPIENTS.length);
  expect(await countOf('processed_messages')).toBe(1);
  expect(await job(jobId)).toBeNull();
});

test('a job whose worker was killed (SIGKILL) mid-task runs again on another worker once unlocked, and mails once', async () => {
  const doomed = await spawnWorker(workerEnvironment({ WORKER_CONCURRENCY: '1' }));
  const lock = await holdSentEmails();
  const jobId = await addJob(envelope('order-killed'));
  await blockedTasks(1);

  doomed.child.kill('SIGKILL');
  expect(await exitWithin(doomed, 5_000)).toBeNull();
  await lock.release();
  // Its transaction died with its connection; its lock on the job did not: graphile-worker would free it after
  // 4 hours. An operator (or this test) frees it at once with the dead process's id, from its "worker started" line.
  await eventually(
    async () => ((await countOf('processed_messages')) === 0 ? true : undefined),
    'the dead task to roll back',
  );
  expect(await job(jobId)).toMatchObject({ attempts: 1, lockedBy: doomed.workerId });
  await pool.query(sql.unsafe`SELECT graphile_worker.force_unlock_workers(ARRAY[${doomed.workerId}]::text[])`);

  const rescuer = await spawnWorker(workerEnvironment({ WORKER_CONCURRENCY: '1' }));
  await drained(1);
  expect(completedBy(rescuer)).toEqual([jobId]);
  expect(await countOf('sent_emails')).toBe(RECIPIENTS.length);
  rescuer.child.kill('SIGTERM');
  expect(await exitWithin(rescuer, 10_000)).toBe(0);
});

test('a job still running after SHUTDOWN_GRACE_MS is released for a retry and the worker exits 1', async () => {
  const stuck = await spawnWorker(workerEnvironment({ WORKER_CONCURRENCY: '1', SHUTDOWN_GRACE_MS: '300' }));
  const lock = await holdSentEmails();
  const jobId = await addJob(envelope('order-overdue'));
  await blockedTasks(1);

  stuck.child.kill('SIGTERM');
  expect(await exitWithin(stuck, 10_000)).toBe(1);
  // Released, not left locked for hours: the attempt counts, and the job waits out its backoff like any failure.
  expect(await job(jobId)).toMatchObject({ attempts: 1, lockedBy: null, lastError: expect.any(String) });
  await lock.release();

  const next = await spawnWorker(workerEnvironment({ WORKER_CONCURRENCY: '1' }));
  await drained(1);
  expect(completedBy(next)).toEqual([jobId]);
  expect(await countOf('sent_emails')).toBe(RECIPIENTS.length);
});

test('two workers on one database share 40 jobs: each runs some, none runs twice, every email is sent once', async () => {
  // One after the other: two processes migrating at the same instant collide on graphile-migrate's advisory lock,
  // which it takes with pg_try_advisory_lock and so fails instead of waiting (a start-up concern, not this test's).
  const workers = [
    await spawnWorker(workerEnvironment({ WORKER_CONCURRENCY: '4' })),
    await spawnWorker(workerEnvironment({ WORKER_CONCURRENCY: '4' })),
  ];
  const lock = await holdSentEmails();
  const envelopes = Array.from({ length: 40 }, (_, index) => envelope(`order-shared-${index}`));
  await pool.query(sql.unsafe`
    SELECT graphile_worker.add_job('notifyOutOfStock', payload, max_attempts => 5)
    FROM json_array_elements(${JSON.stringify(envelopes)}::json) AS payload`);
  // A worker holds at most WORKER_CONCURRENCY jobs, so with every task blocked, both must be holding four.
  await blockedTasks(8);
  const holders = await pool.any(sql.type(z.object({ lockedBy: z.string(), count: z.number() }))`
    SELECT locked_by AS "lockedBy", count(*) AS count FROM graphile_worker.jobs
    WHERE locked_by IS NOT NULL GROUP BY locked_by ORDER BY locked_by`);
  expect(holders).toEqual(
    workers
      .map((worker) => ({ lockedBy: worker.workerId, count: 4 }))
      .sort((a, b) => a.lockedBy.localeCompare(b.lockedBy)),
  );
  await lock.release();
  await drained(40);

  const completed = workers.map(completedBy);
  expect(completed.every((ids) => ids.length >= 4)).toBe(true);
  expect(new Set(completed.flat()).size).toBe(40);
  expect(completed.flat()).toHaveLength(40); // no job completed twice
  expect(workers.some((worker) => worker.logs.some((line) => line.msg?.startsWith('job failed')))).toBe(false);
  const perOrder = await pool.any(sql.type(z.object({ count: z.number() }))`
    SELECT count(*) AS count FROM sent_emails GROUP BY body`);
  expect(perOrder).toHaveLength(40);
  expect(perOrder.every((row) => row.count === RECIPIENTS.length)).toBe(true);

  for (const worker of workers) worker.child.kill('SIGTERM');
  expect(await Promise.all(workers.map((worker) => exitWithin(worker, 10_000)))).toEqual([0, 0]);
});

test('with EXTERNAL_BUS=sqs the worker forwards each job to SQS instead of running its task', async () => {
  // A stand-in for SQS's JSON protocol on 127.0.0.1: records SendMessage calls, answers with the body's MD5 (the SDK checks it).
  const received: Array<{ target: string; body: { QueueUrl: string; MessageBody: string } }> = [];
  const sqs = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { QueueUrl: string; MessageBody: string };
      received.push({ target: String(request.headers['x-amz-target']), body });
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(
        JSON.stringify({
          MessageId: randomUUID(),
          MD5OfMessageBody: createHash('md5').update(body.MessageBody).digest('hex'),
        }),
      );
    });
  });
  sqs.listen(0, '127.0.0.1');
  await once(sqs, 'listening');
  try {
    const queueUrl = `http://127.0.0.1:${(sqs.address() as AddressInfo).port}/000000000000/kingdom-jobs`;
    const worker = await spawnWorker(
      workerEnvironment({
        EXTERNAL_BUS: 'sqs',
        SQS_QUEUE_URL: queueUrl,
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'e2e',
        AWS_SECRET_ACCESS_KEY: 'e2e',
        AWS_EC2_METADATA_DISABLED: 'true',
      }),
    );
    const forwarded = envelope('order-sqs');
    const jobId = await addJob(forwarded);
    await eventually(async () => ((await job(jobId)) === null ? true : undefined), 'the forwarding job to complete');

    expect(received).toHaveLength(1);
    expect(received[0]!.target).toBe('AmazonSQS.SendMessage');
    expect(received[0]!.body.QueueUrl).toBe(queueUrl);
    expect(JSON.parse(received[0]!.body.MessageBody)).toEqual({ task: 'notifyOutOfStock', envelope: forwarded });
    // The task itself runs where the queue is consumed (the Lambda handler), not here.
    expect(await countOf('sent_emails')).toBe(0);
    expect(await countOf('processed_messages')).toBe(0);
    worker.child.kill('SIGTERM');
    expect(await exitWithin(worker, 10_000)).toBe(0);
  } finally {
    sqs.closeAllConnections();
    sqs.close();
  }
});

describe('a job that keeps failing', () => {
  const FAILED_JOBS = graphql(`
    query WorkerFailedJobs {
      failedJobs {
        edges {
          node {
            jobId
            task
            payload
            attempts
            maxAttempts
            lastError
            createdAt
            failedAt
          }
        }
      }
    }
  `);
  const nodesOf = (data: WorkerFailedJobsQuery | null | undefined) =>
    data?.failedJobs.edges.map((edge) => edge.node) ?? [];
  const SECRET = 'hunter2-do-not-log';

  test('is retried, then listed in failedJobs for the administrator, without its payload in the logs', async () => {
    const worker = await spawnWorker(workerEnvironment());
    const payload = { id: 'not-a-uuid', event: { type: 'OutOfStock' }, password: SECRET };
    const jobId = await addJob(payload, 2);

    // First attempt fails; the job waits out its backoff (e^1 s) and is not listed while it may still succeed.
    await eventually(async () => ((await job(jobId))?.lastError ? true : undefined), 'the first attempt to fail');
    expect((await server.admin(FAILED_JOBS)).body).toEqual({ data: { failedJobs: { edges: [] } } });
    await eventually(
      async () => ((await job(jobId))?.attempts === 2 && (await job(jobId))?.lockedBy === null ? true : undefined),
      'the second attempt to fail',
    );

    const listed = await server.admin(FAILED_JOBS);
    expect(listed.body.errors).toBeUndefined();
    const failedJobs = nodesOf(listed.body.data);
    expect(failedJobs).toEqual([
      {
        jobId,
        task: 'notifyOutOfStock',
        payload: expect.any(String),
        attempts: 2,
        maxAttempts: 2,
        lastError: expect.stringContaining("notifyOutOfStock: the job's payload is not an Envelope (id: "),
        createdAt: expect.any(String),
        failedAt: expect.any(String),
      },
    ]);
    const [failed] = failedJobs;
    expect(JSON.parse(String(failed!.payload))).toEqual(payload);
    expect(String(failed!.lastError)).not.toContain(SECRET);
    const failedAt = Date.parse(String(failed!.failedAt));
    expect(failedAt).toBeGreaterThan(Date.parse(String(failed!.createdAt)) + 2000); // after the backoff
    expect(failedAt).toBeLessThanOrEqual(Date.now() + 1000);

    // The worker logs the final failure after it recorded it: under load the line can trail the row by a moment.
    await eventually(
      async () =>
        worker.logs.some((line) => line.jobId === jobId && line.msg?.startsWith('job failed for good')) || undefined,
      'the worker to log the final failure',
    );
    const failures = worker.logs.filter((line) => line.jobId === jobId && line.msg?.startsWith('job failed'));
    expect(failures.map((line) => line.msg)).toEqual([
      'job failed; will retry',
      'job failed for good (see Query.failedJobs)',
    ]);
    expect(failures.every((line) => line.task === 'notifyOutOfStock')).toBe(true);
    expect(JSON.stringify(worker.logs) + worker.stderr.join('')).not.toContain(SECRET);
    expect(await countOf('sent_emails')).toBe(0);
  });

  test('failedJobs is for administrators: UNAUTHENTICATED anonymously, FORBIDDEN to a member, bounded page size', async () => {
    expect((await server.graphql(FAILED_JOBS)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const signedUp = await server.graphql(SignUpDocument, {
      input: { email: 'member@worker.test', password: 'member password 1234', name: 'Member' },
    });
    const token = signedUp.body.data!.signUp.accessToken;
    const member = await server.graphql(FAILED_JOBS, {}, { authorization: `Bearer ${token}` });
    expect(member.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(member.body.data).toBeNull();

    for (const first of [-1, 101]) {
      const response = await server.admin('query ($first: Int) { failedJobs(first: $first) { totalCount } }', {
        first,
      });
      expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect((await server.admin('{ failedJobs(first: 0) { edges { cursor } } }')).body).toEqual({
      data: { failedJobs: { edges: [] } },
    });
  });
});

test('outside development the worker refuses to start without DATABASE_URL, naming it', async () => {
  await expect(spawnWorker({ DATABASE_URL: '' })).rejects.toThrow(
    /exited with 1 before starting[\s\S]*DATABASE_URL: is required for the worker/,
  );
});

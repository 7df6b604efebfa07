import { EventEmitter } from 'node:events';
import {
  Logger as WorkerLogger,
  makeWorkerUtils,
  run,
  type Job,
  type Task,
  type TaskList,
  type WorkerEvents,
  type WorkerPool,
} from 'graphile-worker';
import { z } from 'zod';
import type { Envelope } from '../../core/messages.ts';
import type { Logger } from '../../core/ports.ts';
import type { BoundTasks } from '../../core/tasks.ts';
import type { JobObserver } from '../telemetry/jobs.ts';
import { superviseRunner, type StartedRunner } from './runner-supervisor.ts';

export type JobWorkerOptions = {
  readonly connectionString: string;
  readonly concurrency: number;
  readonly tasks: BoundTasks;
  readonly logger: Logger;
  /** EXTERNAL_BUS=sqs: hand each job's envelope on (to SQS) instead of running the task here. */
  readonly forward?: (task: string, envelope: Envelope) => Promise<void>;
  /** Traces and measures each job when telemetry is on (src/platform/telemetry/jobs.ts); absent: nothing wraps them. */
  readonly observe?: JobObserver;
};

export type JobWorker = {
  /** graphile-worker's pool id: what `locked_by` holds for this process's jobs (force_unlock_workers takes it). */
  readonly workerId?: string;
  /** Graceful: takes no new job and resolves once the running ones have finished. */
  stop(): Promise<void>;
  /** Forceful: releases the running jobs for another worker to retry now (counts as a failed attempt). */
  kill(): Promise<void>;
};

/** What the outbox writes (src/platform/database/unit-of-work.ts); anything else is a bug or a hand-made job. */
const envelopeSchema = z.object({
  id: z.uuid(),
  event: z.looseObject({ type: z.string().min(1) }),
  occurredAt: z.iso.datetime({ offset: true }),
  traceContext: z.record(z.string(), z.string()).optional(),
});

const describeIssues = (issues: readonly z.core.$ZodIssue[]): string =>
  issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`).join('; ');

/** The message lands in graphile_worker's last_error, i.e. in Query.failedJobs: it names fields, never values. */
export const parseEnvelope = (task: string, expectedEvent: string, payload: unknown): Envelope => {
  const parsed = envelopeSchema.safeParse(payload);
  if (!parsed.success)
    throw new Error(`${task}: the job's payload is not an Envelope (${describeIssues(parsed.error.issues)})`);
  if (parsed.data.event.type !== expectedEvent) {
    throw new Error(`${task}: handles ${expectedEvent} events, but the job carries ${parsed.data.event.type}`);
  }
  return parsed.data;
};

/** Each task as a graphile-worker task; `completed` is told inside the job's span (its log line carries the trace). */
const taskListFor = (options: JobWorkerOptions, completed: (job: Job) => void): TaskList =>
  Object.fromEntries(
    Object.entries(options.tasks).map(([name, task]): [string, Task] => [
      name,
      async (payload, helpers) => {
        const envelope = parseEnvelope(name, task.on, payload);
        const execute = async () => {
          await (options.forward ? options.forward(name, envelope) : task.run(envelope));
          completed(helpers.job);
        };
        await (options.observe ? options.observe.run(name, helpers.job, envelope, execute) : execute());
      },
    ]),
  );

/**
 * graphile-worker's own lines, without their metadata: that carries whole jobs (payloads). Its per-job failure
 * line is dropped too, since the `job:error` listener below logs each failure once, structured.
 */
const workerLogger = (logger: Logger): WorkerLogger =>
  new WorkerLogger((scope) => (level, message, meta) => {
    if (meta?.failure) return;
    const fields = { workerId: scope.workerId, task: scope.taskIdentifier, jobId: scope.jobId };
    if (level === 'error') logger.error(fields, message);
    else if (level === 'warning') logger.warn(fields, message);
    else logger.debug(fields, message);
  });

/**
 * Runs the background tasks as graphile-worker jobs. Retries, backoff and the attempt limit are graphile-worker's
 * (max_attempts is set per job when the outbox enqueues it). Signals are the process's business (`src/worker.ts`).
 * A pool that graphile-worker stops on a database error is replaced once the database is back (runner-supervisor.ts).
 */
export const startJobWorker = async (options: JobWorkerOptions): Promise<JobWorker> => {
  const events: WorkerEvents = new EventEmitter();
  let pool: WorkerPool | undefined;
  let stopping = false;
  const abandonments = new Map<WorkerPool, Abandonment>();
  events.on('pool:create', ({ workerPool }) => {
    pool = workerPool;
    abandonments.set(workerPool, abandonment());
  });
  events.on('pool:gracefulShutdown', ({ workerPool }) => {
    const abandon = abandonments.get(workerPool);
    abandonments.delete(workerPool);
    if (!stopping && abandon) abandonWithin(workerPool, abandon, options.logger);
  });
  events.on('job:error', ({ job, error }) => {
    const failure =
      error instanceof Error ? { message: error.message, stack: error.stack } : { message: String(error) };
    const fields = {
      jobId: job.id,
      task: job.task_identifier,
      workerId: pool?.id,
      attempt: job.attempts,
      maxAttempts: job.max_attempts,
      err: failure,
    };
    // The payload stays out (it may hold personal data); the job id finds it in Query.failedJobs.
    if (job.attempts >= job.max_attempts) options.logger.error(fields, 'job failed for good (see Query.failedJobs)');
    else options.logger.warn(fields, 'job failed; will retry');
  });
  options.observe?.listen(events);

  const taskList = taskListFor(options, (job) =>
    options.logger.info({ jobId: job.id, task: job.task_identifier, workerId: pool?.id }, 'job completed'),
  );
  const start = async (): Promise<StartedRunner> => {
    const runner = await run({
      connectionString: options.connectionString,
      concurrency: options.concurrency,
      taskList,
      noHandleSignals: true,
      logger: workerLogger(options.logger),
      events,
      // Batched (even with no delay), completions and failures are flushed before stop() resolves; unbatched (the
      // default) they are fire-and-forget, and a process exiting right after stop() could lose a job's completion,
      // leaving it locked for 4 hours and then run again.
      preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    });
    const started = pool;
    const abandoned = started ? abandonments.get(started)?.promise : undefined;
    return { runner, workerId: () => started?.id, ...(abandoned ? { abandoned } : {}) };
  };
  const supervised = await superviseRunner({
    start,
    release: (workerId) => releaseJobsOf(options.connectionString, workerId),
    logger: options.logger,
  });
  return {
    get workerId() {
      return supervised.current().workerId();
    },
    stop: () => {
      stopping = true;
      return supervised.stop();
    },
    // runner.kill() does nothing once a graceful stop has begun: go to the pool itself.
    kill: async () => {
      stopping = true;
      await pool?.forcefulShutdown('the worker is shutting down and this job outlived the grace period');
    },
  };
};

type Abandonment = { readonly promise: Promise<never>; readonly reject: (reason: Error) => void };

const abandonment = (): Abandonment => {
  let reject!: (reason: Error) => void;
  const promise = new Promise<never>((_resolve, fail) => (reject = fail));
  promise.catch(() => undefined);
  return { promise, reject };
};

/**
 * How long a pool that graphile-worker is stopping by itself (a database error) may take before the supervisor
 * gives up on it. Its graceful stop waits for every worker's current query, and one refused with 57P03 (Postgres
 * shutting down or starting up) is retried after 3 s, 4.5 s, 6.75 s... up to 2 minutes, with no job taken meanwhile
 * (the pool is deactivated first); its forceful stop can wait as long, failing the running jobs. So after this
 * grace the pool is stopped forcefully in the background and counted dead: the supervisor releases its jobs and
 * starts a new pool as soon as the database answers.
 */
const SELF_STOP_GRACE_MS = 2_000;

const abandonWithin = (workerPool: WorkerPool, abandon: Abandonment, logger: Logger): void => {
  let ended = false;
  const end = () => {
    ended = true;
    clearTimeout(timer);
  };
  workerPool.promise.then(end, end);
  const timer = setTimeout(() => {
    if (ended) return;
    logger.warn({ workerId: workerPool.id }, 'the job worker pool is slow to stop: stopping it forcefully');
    if (!workerPool._forcefulShuttingDown)
      void Promise.resolve(workerPool.forcefulShutdown('the pool stopped on a database error')).catch(() => undefined);
    abandon.reject(new Error(`the pool did not stop within ${SELF_STOP_GRACE_MS} ms of a database error`));
  }, SELF_STOP_GRACE_MS);
  timer.unref();
};

/** Unlocks the jobs a dead pool holds (graphile-worker's force_unlock_workers), for any worker to run now. */
const releaseJobsOf = async (connectionString: string, workerId: string): Promise<void> => {
  const utils = await makeWorkerUtils({ connectionString });
  try {
    await utils.forceUnlockWorkers([workerId]);
  } finally {
    await utils.release();
  }
};

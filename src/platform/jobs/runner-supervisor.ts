/**
 * Keeps a graphile-worker pool running through a database restart. graphile-worker stops its whole pool when it
 * cannot record a job's outcome (its completeJobs/failJobs query fails, as every query does while Postgres
 * restarts): "queue is in an inconsistent state; aborting", the process still alive but running nothing, and that
 * job locked by the dead pool for four hours. So when a pool stops without being asked to, a new one is started as
 * soon as the database answers, after releasing the dead pool's jobs (force_unlock_workers) to run now: each task
 * records its delivery with its effect (the inbox), so a job whose effect had committed does nothing the second time.
 */
import type { Runner } from 'graphile-worker';
import type { Logger } from '../../core/ports.ts';

/** One graphile-worker pool: its runner, and its pool id once known (what `locked_by` holds for its jobs). */
export type StartedRunner = {
  readonly runner: Runner;
  readonly workerId: () => string | undefined;
  /** Rejects when the pool is stopping by itself too slowly to wait for: it counts as dead from then on. */
  readonly abandoned?: Promise<never>;
};

export type SupervisorOptions = {
  /** Starts a pool (graphile-worker's `run`); rejects while the database cannot be reached. */
  readonly start: () => Promise<StartedRunner>;
  /** Releases the jobs a dead pool still holds, for any worker to run now. */
  readonly release: (workerId: string) => Promise<void>;
  readonly logger: Logger;
  /** Waits between attempts to start again, doubling from the first to the last (default 100 ms to 1 s). */
  readonly retryDelaysMs?: { readonly first: number; readonly max: number };
};

export type SupervisedRunner = {
  /** The running pool (the latest one after a restart). */
  current(): StartedRunner;
  /** No more restarts; the running pool stops gracefully (running jobs finish). */
  stop(): Promise<void>;
};

export const superviseRunner = async (options: SupervisorOptions): Promise<SupervisedRunner> => {
  const { logger } = options;
  const delays = options.retryDelaysMs ?? { first: 100, max: 1000 };
  let stopping = false;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const replace = async (dead: StartedRunner, reason: unknown): Promise<void> => {
    if (stopping) return;
    const deadId = dead.workerId();
    logger.error({ err: reason, workerId: deadId }, 'the job worker pool stopped by itself: starting a new one');
    for (let delay = delays.first; !stopping; delay = Math.min(delay * 2, delays.max)) {
      await pause(delay);
      if (stopping) return;
      try {
        if (deadId) await options.release(deadId);
        const next = await options.start();
        if (stopping) return void (await next.runner.stop());
        current = next;
        watch(next);
        logger.info({ workerId: next.workerId(), replaced: deadId }, 'job worker pool restarted');
        return;
      } catch (error) {
        logger.debug(
          { err: error, retryInMs: Math.min(delay * 2, delays.max) },
          'could not restart the job worker yet',
        );
      }
    }
  };

  const watch = (started: StartedRunner): void => {
    void (started.abandoned ? Promise.race([started.runner.promise, started.abandoned]) : started.runner.promise).then(
      () => replace(started, new Error('the pool exited')),
      (error: unknown) => replace(started, error),
    );
  };

  let current = await options.start();
  watch(current);
  return {
    current: () => current,
    stop: async () => {
      stopping = true;
      wake?.();
      await current.runner.stop();
    },
  };
};

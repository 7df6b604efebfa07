/**
 * graphile-worker stops its whole pool when it cannot record a job's outcome (the database restarting): the
 * supervisor starts a new pool once the database answers, after releasing the jobs the dead one still holds.
 */
import type { Runner } from 'graphile-worker';
import { superviseRunner, type StartedRunner } from '../../../src/platform/jobs/runner-supervisor.ts';
import { RecordingLogger } from '../../fakes/recording-logger.ts';

type FakeRunner = StartedRunner & { die(error: Error): void; stopped: boolean };

const fakeRunner = (id: string): FakeRunner => {
  let settle!: { resolve: () => void; reject: (error: Error) => void };
  const promise = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  const fake: FakeRunner = {
    runner: {
      promise,
      stop: async () => {
        fake.stopped = true;
        settle.resolve();
      },
    } as unknown as Runner,
    workerId: () => id,
    die: (error) => settle.reject(error),
    stopped: false,
  };
  return fake;
};

const flush = () => new Promise((resolve) => setTimeout(resolve, 30));

test('a pool that dies is replaced once starting works again, after its jobs are released', async () => {
  const started: FakeRunner[] = [];
  const released: string[] = [];
  let databaseDown = false;
  const logger = new RecordingLogger();
  const supervised = await superviseRunner({
    start: async () => {
      if (databaseDown) throw new Error('connect ECONNREFUSED');
      const runner = fakeRunner(`pool-${started.length + 1}`);
      started.push(runner);
      return runner;
    },
    release: async (workerId) => {
      if (databaseDown) throw new Error('connect ECONNREFUSED');
      released.push(workerId);
    },
    logger,
    retryDelaysMs: { first: 5, max: 10 },
  });
  expect(supervised.current().workerId()).toBe('pool-1');

  databaseDown = true;
  started[0]!.die(new Error('Could not completeJobs; queue is in an inconsistent state; aborting.'));
  await flush();
  // Still down: nothing released, nothing started, and it keeps trying.
  expect(released).toEqual([]);
  expect(started).toHaveLength(1);

  databaseDown = false;
  await flush();
  expect(released).toEqual(['pool-1']);
  expect(started).toHaveLength(2);
  expect(supervised.current().workerId()).toBe('pool-2');
  expect(logger.entries.map((entry) => entry.message)).toEqual(
    expect.arrayContaining(['the job worker pool stopped by itself: starting a new one', 'job worker pool restarted']),
  );

  await supervised.stop();
  expect(started[1]!.stopped).toBe(true);
  await flush();
  expect(started).toHaveLength(2);
});

test('stopping while it waits to restart ends the waiting: no pool is started afterwards', async () => {
  const started: FakeRunner[] = [];
  let attempts = 0;
  const supervised = await superviseRunner({
    start: async () => {
      attempts += 1;
      if (started.length > 0) throw new Error('connect ECONNREFUSED');
      const runner = fakeRunner('pool-1');
      started.push(runner);
      return runner;
    },
    release: async () => undefined,
    logger: new RecordingLogger(),
    retryDelaysMs: { first: 5, max: 5 },
  });
  started[0]!.die(new Error('aborting'));
  await flush();
  const before = attempts;
  expect(before).toBeGreaterThan(1);
  await supervised.stop();
  await flush();
  expect(attempts).toBe(before);
});

test('a pool given up on (abandoned: its own stop hangs) is replaced although it never settles', async () => {
  const started: FakeRunner[] = [];
  const released: string[] = [];
  let abandon!: (reason: Error) => void;
  const supervised = await superviseRunner({
    start: async () => {
      const runner = fakeRunner(`pool-${started.length + 1}`);
      started.push(runner);
      if (started.length > 1) return runner;
      const abandoned = new Promise<never>((_resolve, reject) => (abandon = reject));
      return { ...runner, abandoned };
    },
    release: async (workerId) => void released.push(workerId),
    logger: new RecordingLogger(),
    retryDelaysMs: { first: 5, max: 5 },
  });
  await flush();
  expect(started).toHaveLength(1);
  abandon(new Error('the pool did not stop within 2000 ms of a database error'));
  await flush();
  expect(released).toEqual(['pool-1']);
  expect(started).toHaveLength(2);
  expect(supervised.current().workerId()).toBe('pool-2');
  await supervised.stop();
});

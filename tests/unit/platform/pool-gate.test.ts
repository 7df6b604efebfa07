/**
 * The pool's limit held in front of slonik: a call waits for its turn at most the statement timeout, and a call
 * failing because the database is unavailable fails every call still waiting, at once (slonik left them queued
 * until the database came back).
 */
import { EventEmitter } from 'node:events';
import { ConnectionError, type DatabasePool } from 'slonik';
import { gatePool, poolUsage } from '../../../src/platform/database/pool-gate.ts';

type Pending = { resolve(value: unknown): void; reject(error: Error): void };

/** A pool whose queries stay in flight until the test settles them, in order. */
const fakePool = () => {
  const inFlight: Pending[] = [];
  const pool = Object.assign(new EventEmitter(), {
    configuration: { statementTimeout: 100 },
    query: () => new Promise((resolve, reject) => inFlight.push({ resolve, reject })),
  });
  return { pool: pool as unknown as DatabasePool, inFlight };
};

const settled = async <T>(promise: Promise<T>) => {
  let outcome: { value?: T; error?: unknown } | undefined;
  promise.then(
    (value) => (outcome = { value }),
    (error: unknown) => (outcome = { error }),
  );
  await new Promise((resolve) => setTimeout(resolve, 5));
  return outcome;
};

test('beyond its size a call waits, and runs when an earlier one finishes', async () => {
  const { pool, inFlight } = fakePool();
  const gated = gatePool(pool, { size: 2, maxWaitMs: 1000 });
  const calls = [1, 2, 3].map(() => gated.query({} as never));
  await settled(Promise.resolve());
  expect(inFlight).toHaveLength(2);
  expect(poolUsage(gated)).toEqual({ inUse: 2, waiting: 1, size: 2 });
  inFlight[0]!.resolve('first');
  expect((await settled(calls[0]!))?.value).toBe('first');
  expect(inFlight).toHaveLength(3);
  expect(poolUsage(gated)).toEqual({ inUse: 2, waiting: 0, size: 2 });
  inFlight[1]!.resolve('second');
  inFlight[2]!.resolve('third');
  expect(await Promise.all(calls)).toEqual(['first', 'second', 'third']);
  expect(poolUsage(gated)).toEqual({ inUse: 0, waiting: 0, size: 2 });
});

test('a call that waits longer than maxWaitMs fails with a ConnectionError and never runs', async () => {
  const { pool, inFlight } = fakePool();
  const gated = gatePool(pool, { size: 1, maxWaitMs: 20 });
  const running = gated.query({} as never);
  const waiting = gated.query({} as never);
  await expect(waiting).rejects.toBeInstanceOf(ConnectionError);
  inFlight[0]!.resolve('done');
  await running;
  expect(inFlight).toHaveLength(1);
  expect(poolUsage(gated)).toEqual({ inUse: 0, waiting: 0, size: 1 });
});

test('a call failing because the database is unavailable fails every waiting call at once', async () => {
  const { pool, inFlight } = fakePool();
  const gated = gatePool(pool, { size: 1, maxWaitMs: 10_000 });
  const running = gated.query({} as never);
  const waiting = [gated.query({} as never), gated.query({} as never)];
  inFlight[0]!.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
  await expect(running).rejects.toThrow('ECONNREFUSED');
  for (const call of waiting) await expect(call).rejects.toBeInstanceOf(ConnectionError);
  expect(inFlight).toHaveLength(1);
  expect(poolUsage(gated)).toEqual({ inUse: 0, waiting: 0, size: 1 });
});

test('any other failure leaves the waiting calls to run', async () => {
  const { pool, inFlight } = fakePool();
  const gated = gatePool(pool, { size: 1, maxWaitMs: 10_000 });
  const running = gated.query({} as never);
  const waiting = gated.query({} as never);
  inFlight[0]!.reject(new Error('duplicate key value violates unique constraint'));
  await expect(running).rejects.toThrow('duplicate key');
  await settled(Promise.resolve());
  inFlight[1]!.resolve('ran');
  await expect(waiting).resolves.toBe('ran');
});

test('everything else is the pool itself, bound to it', () => {
  const { pool } = fakePool();
  const gated = gatePool(pool, { size: 1, maxWaitMs: 10 });
  const heard: string[] = [];
  gated.on('error', (error: Error) => heard.push(error.message));
  pool.emit('error', new ConnectionError('idle client lost'));
  expect(heard).toEqual(['idle client lost']);
  expect(gated.configuration).toBe(pool.configuration);
});

/**
 * LISTEN/NOTIFY between instances, on real Postgres: what a transaction announces is heard when it commits and
 * never when it rolls back; one feature's failing handler does not stop another's; a dropped LISTEN connection is reported (subscribers stop trusting their caches) and
 * comes back on its own.
 */
import { jest } from '@jest/globals';
import pg from 'pg';
import { sql } from 'slonik';
import { z } from 'zod';
import {
  LISTENER_APPLICATION_NAME,
  notify,
  startChannelListener,
  type ChannelListener,
} from '../../src/platform/database/channels.ts';
import { createDatabasePool } from '../../src/platform/database/pool.ts';
import { createRecordingLogger } from '../support/graphql.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

jest.setTimeout(30_000);

let database: TestDatabase;
let listener: ChannelListener | undefined;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterEach(async () => listener?.close());
afterAll(async () => database?.drop());

const withPool = async <T>(run: (pool: Awaited<ReturnType<typeof createDatabasePool>>) => Promise<T>) => {
  const pool = await createDatabasePool(database.url, { maxPoolSize: 2, statementTimeoutMs: 5000 });
  try {
    return await run(pool);
  } finally {
    await pool.end();
  }
};

/** Resolves with the next `count` payloads heard on `channel` (or rejects after `ms`). */
const heard = (on: ChannelListener, channel: string, count: number, ms = 5000) =>
  new Promise<string[]>((resolve, reject) => {
    const payloads: string[] = [];
    const timer = setTimeout(() => reject(new Error(`heard ${JSON.stringify(payloads)} on ${channel}`)), ms);
    const stop = on.on(channel, (payload) => {
      payloads.push(payload);
      if (payloads.length < count) return;
      clearTimeout(timer);
      stop();
      resolve(payloads);
    });
  });

const fastRetries = { first: 20, max: 200 };

test('a notification is heard when its transaction commits, and never when it rolls back', async () => {
  listener = await startChannelListener({ connectionString: database.url, logger: createRecordingLogger() });
  const received = heard(listener, 'kingdom_test', 2);

  await withPool(async (pool) => {
    await pool
      .transaction(async (connection) => {
        await notify(connection, 'kingdom_test', 'rolled back');
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await pool.transaction(async (connection) => notify(connection, 'kingdom_test', 'committed'));
    await notify(pool, 'kingdom_test', 'outside a transaction');
  });

  expect(await received).toEqual(['committed', 'outside a transaction']);
});

test('features share the connection: a handler that throws keeps no other from hearing, on its channel or another', async () => {
  const logger = createRecordingLogger();
  listener = await startChannelListener({ connectionString: database.url, logger });
  listener.on('kingdom_test', () => {
    throw new Error('a broken handler');
  });
  const sameChannel = heard(listener, 'kingdom_test', 2);
  const otherChannel = heard(listener, 'kingdom_other', 1);

  await withPool(async (pool) => {
    await notify(pool, 'kingdom_test', 'first');
    await notify(pool, 'kingdom_other', 'elsewhere');
    await notify(pool, 'kingdom_test', 'second');
  });

  expect(await sameChannel).toEqual(['first', 'second']);
  expect(await otherChannel).toEqual(['elsewhere']);
  expect(listener.isListening()).toBe(true);
  expect(logger.entries.filter(({ level }) => level === 'error')).toHaveLength(2);
});

test('a dropped connection is reported as lost, reconnects by itself, and is heard again', async () => {
  const logger = createRecordingLogger();
  listener = await startChannelListener({ connectionString: database.url, logger, retryDelaysMs: fastRetries });
  const events: string[] = [];
  let restored: () => void = () => undefined;
  const back = new Promise<void>((resolve) => (restored = resolve));
  listener.onInterruption({
    lost: () => void events.push(`lost, listening: ${listener?.isListening()}`),
    restored: () => {
      events.push(`restored, listening: ${listener?.isListening()}`);
      restored();
    },
  });

  // What an operator's pg_terminate_backend, a failover or a Postgres restart does to the connection.
  await withPool((pool) =>
    pool.query(sql.type(z.object({ terminated: z.boolean() }))`
      SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = ${LISTENER_APPLICATION_NAME}`),
  );
  await back;

  expect(events).toEqual(['lost, listening: false', 'restored, listening: true']);
  expect(logger.entries.map(({ level, message }) => [level, message])).toContainEqual([
    'warn',
    'lost the LISTEN connection to Postgres: reconnecting',
  ]);
  const received = heard(listener, 'kingdom_test', 1);
  await withPool((pool) => notify(pool, 'kingdom_test', 'after the reconnection'));
  expect(await received).toEqual(['after the reconnection']);
});

test('a barrier resolves once every listening instance has handled what was committed before it', async () => {
  listener = await startChannelListener({ connectionString: database.url, logger: createRecordingLogger() });
  const other = await startChannelListener({ connectionString: database.url, logger: createRecordingLogger() });
  try {
    const handled: string[] = [];
    other.on('kingdom_test', (payload) => handled.push(payload));
    await withPool((pool) => notify(pool, 'kingdom_test', 'a change'));

    expect(await listener.waitUntilHeard()).toBe(true);
    expect(handled).toEqual(['a change']);
  } finally {
    await other.close();
  }
});

test('a barrier gives up (false) when a listening connection does not answer in time', async () => {
  listener = await startChannelListener({ connectionString: database.url, logger: createRecordingLogger() });
  // A session named like a listener that never answers: an instance whose event loop is stuck.
  const silent = new pg.Client({ connectionString: database.url, application_name: LISTENER_APPLICATION_NAME });
  await silent.connect();
  try {
    expect(await listener.waitUntilHeard(300)).toBe(false);
  } finally {
    await silent.end();
  }
});

test('refuses to start when Postgres cannot be reached, rather than retrying forever', async () => {
  await expect(
    startChannelListener({
      connectionString: 'postgres://nobody@127.0.0.1:1/nothing',
      logger: createRecordingLogger(),
      retryDelaysMs: fastRetries,
    }),
  ).rejects.toThrow('could not LISTEN on Postgres');
});

test('statements from several features at once take turns on the one connection (pg warns about overlapping ones)', async () => {
  // Counts the statements in flight on the listener's connection, as pg sees them.
  type Query = (this: pg.Client, ...args: unknown[]) => unknown;
  const prototype = pg.Client.prototype as unknown as { query: Query };
  const original = prototype.query;
  let inFlight = 0;
  let mostInFlight = 0;
  prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const result = original.apply(this, args);
    const isListener =
      (this as unknown as { connectionParameters: { application_name?: string } }).connectionParameters
        .application_name === LISTENER_APPLICATION_NAME;
    if (!isListener || !(result instanceof Promise)) return result;
    mostInFlight = Math.max(mostInFlight, ++inFlight);
    return result.finally(() => inFlight--);
  };
  try {
    listener = await startChannelListener({
      connectionString: database.url,
      logger: createRecordingLogger(),
      heartbeatMs: 1,
    });
    // Three features subscribing at once, a barrier and heartbeats, all on the one connection.
    const channels = ['kingdom_a', 'kingdom_b', 'kingdom_c'];
    const received = Promise.all(channels.map((channel) => heard(listener!, channel, 1)));
    expect(await listener.waitUntilHeard()).toBe(true);
    await withPool(async (pool) => {
      for (const channel of channels) await notify(pool, channel, 'ping');
    });
    expect(await received).toEqual([['ping'], ['ping'], ['ping']]);
    expect(mostInFlight).toBe(1);
  } finally {
    prototype.query = original;
  }
});

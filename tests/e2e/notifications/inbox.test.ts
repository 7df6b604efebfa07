/**
 * The idempotent consumer (the inbox every background task writes) on real Postgres: two deliveries of one message
 * at once end with exactly one effect. pg-mem runs one connection at a time, so only real Postgres can show the
 * second INSERT waiting on the first transaction's primary key and the retry that follows.
 */
import { jest } from '@jest/globals';
import { sql, type DatabasePool } from 'slonik';
import { bootstrap } from '../../../src/bootstrap.ts';
import { ConcurrentUpdateError } from '../../../src/core/errors.ts';
import type { Envelope } from '../../../src/core/messages.ts';
import type { OutOfStock } from '../../../src/inventory/domain/events.ts';
import { createSlonikInbox } from '../../../src/platform/database/inbox.ts';
import { createDatabasePool } from '../../../src/platform/database/pool.ts';
import { createSlonikUnitOfWork } from '../../../src/platform/database/unit-of-work.ts';
import { createTableEmailSender } from '../../../src/platform/email/table-email-sender.ts';
import { createRecordingLogger } from '../../support/graphql.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { barrier, pausingAfterExists } from '../support/races.ts';

jest.setTimeout(30_000);

let database: TestDatabase;
let pool: DatabasePool;
beforeAll(async () => {
  database = await createTestDatabase();
  pool = await createDatabasePool(database.url, { maxPoolSize: 4 });
});
beforeEach(() => pool.query(sql.unsafe`TRUNCATE processed_messages, sent_emails`));
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

const MESSAGE = '0b6f2c1e-3c1d-4a43-9b7e-6d2f1a0c9e11';

/** Waits until some backend is blocked on a lock (the second INSERT waiting for the first transaction). */
const someoneWaitsOnALock = async (): Promise<void> => {
  for (let tries = 0; tries < 200; tries += 1) {
    const waiting = await pool.oneFirst(sql.unsafe`
      SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
    if (Number(waiting) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('no transaction ever waited on a lock');
};

test('an INSERT racing a not yet committed first delivery waits, then fails as a ConcurrentUpdateError', async () => {
  let inserted = (): void => undefined;
  let commit = (): void => undefined;
  const firstInserted = new Promise<void>((resolve) => (inserted = resolve));
  const commitAllowed = new Promise<void>((resolve) => (commit = resolve));
  // Started from the test, not from inside the first transaction: slonik refuses a pool query in a transaction's scope.
  const first = pool.transaction(async (connection) => {
    const answer = await createSlonikInbox(connection).firstDelivery(MESSAGE, 'notifyOutOfStock');
    inserted();
    await commitAllowed;
    return answer;
  });
  await firstInserted;
  const second = pool
    .transaction((connection) => createSlonikInbox(connection).firstDelivery(MESSAGE, 'notifyOutOfStock'))
    .catch((error: unknown) => error);

  await someoneWaitsOnALock();
  commit();

  expect(await first).toBe(true);
  expect(await second).toBeInstanceOf(ConcurrentUpdateError);
});

test('two deliveries of one message at once, both past the inbox check, mail each recipient exactly once', async () => {
  const bothChecked = barrier(2);
  let retries = 0;
  // The production wiring, except that each delivery's first inbox check waits for the other's: both find nothing.
  const racingAfterTheCheck = pausingAfterExists(bothChecked);
  const { tasks } = bootstrap({
    logger: createRecordingLogger(),
    pool,
    overrides: {
      notifications: {
        settings: {
          outOfStockRecipients: ['warehouse@example.com', 'buyer@example.com'],
          from: 'kingdom@example.com',
        },
        unitOfWork: () =>
          createSlonikUnitOfWork(
            pool,
            (connection) => ({
              inbox: createSlonikInbox(racingAfterTheCheck(connection)),
              mail: createTableEmailSender(connection),
            }),
            { maxAttempts: 3, baseDelayMs: 1, onRetry: () => void (retries += 1) },
          ),
      },
    },
  });
  const envelope: Envelope<OutOfStock> = {
    id: MESSAGE,
    event: { type: 'OutOfStock', sku: 'RED-CHAIR', orderId: 'order-42', quantity: 7 },
    occurredAt: '2026-11-25T12:00:00.000Z',
  };

  await Promise.all([tasks.notifyOutOfStock!.run(envelope), tasks.notifyOutOfStock!.run(envelope)]);

  expect(await pool.anyFirst(sql.unsafe`SELECT recipient FROM sent_emails ORDER BY recipient`)).toEqual([
    'buyer@example.com',
    'warehouse@example.com',
  ]);
  expect(await pool.oneFirst(sql.unsafe`SELECT count(*)::int FROM processed_messages`)).toBe(1);
  // The loser's INSERT hit the primary key and its whole transaction ran again, finding the winner's row.
  expect(retries).toBe(1);
});

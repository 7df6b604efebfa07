/**
 * The reallocate task on real Postgres: two deliveries of one evicted line's message at once, both past the inbox
 * check, allocate it exactly once. Their REPEATABLE READ transactions also race on the product itself, which only
 * real Postgres (with concurrent connections) can show. The worker-driven path is in tests/e2e/allocation.test.ts.
 */
import { jest } from '@jest/globals';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { bootstrap } from '../../src/bootstrap.ts';
import type { Envelope } from '../../src/core/messages.ts';
import { createAllocationsViewWriter } from '../../src/inventory/adapters/slonik-allocations-view.ts';
import { createProductRepository } from '../../src/inventory/adapters/slonik-product-repository.ts';
import { createSlonikInbox } from '../../src/platform/database/inbox.ts';
import { createDatabasePool } from '../../src/platform/database/pool.ts';
import { createSlonikUnitOfWork } from '../../src/platform/database/unit-of-work.ts';
import { createRecordingLogger } from '../support/graphql.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { barrier, pausingAfterExists } from './support/races.ts';

jest.setTimeout(30_000);

let database: TestDatabase;
let pool: DatabasePool;
beforeAll(async () => {
  database = await createTestDatabase();
  pool = await createDatabasePool(database.url, { maxPoolSize: 4 });
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

const jobPayloads = () =>
  pool.anyFirst(sql.type(z.object({ payload: z.unknown() }))`
    SELECT jobs.payload FROM graphile_worker._private_jobs AS jobs
    JOIN graphile_worker._private_tasks AS tasks ON tasks.id = jobs.task_id
    WHERE tasks.identifier = 'reallocate'`);

test('two deliveries of one reallocate message at once, both past the inbox check, allocate the line once', async () => {
  // The shrink, with the production wiring: its transaction enqueues the real graphile-worker job.
  const { bus } = bootstrap({ logger: createRecordingLogger(), pool });
  await bus.execute({
    type: 'AddBatch',
    reference: 'twice-here',
    sku: 'TWICE',
    quantity: 10,
    eta: null,
    ownerId: null,
  });
  await bus.execute({
    type: 'AddBatch',
    reference: 'twice-later',
    sku: 'TWICE',
    quantity: 10,
    eta: '2027-03-01',
    ownerId: null,
  });
  await bus.execute({ type: 'Allocate', orderId: 'twice-1', sku: 'TWICE', quantity: 6 });
  await bus.execute({ type: 'Allocate', orderId: 'twice-2', sku: 'TWICE', quantity: 4 });
  await bus.execute({ type: 'ChangeBatchQuantity', reference: 'twice-here', quantity: 6 });
  const [payload] = await jobPayloads();
  const versionBefore = await pool.oneFirst(sql.unsafe`SELECT version FROM products WHERE sku = 'TWICE'`);

  // The production wiring, except that each delivery's first inbox check waits for the other's: both find nothing.
  const bothChecked = barrier(2);
  let retries = 0;
  const racingAfterTheCheck = pausingAfterExists(bothChecked);
  const { tasks } = bootstrap({
    logger: createRecordingLogger(),
    pool,
    overrides: {
      inventory: {
        unitOfWork: () =>
          createSlonikUnitOfWork(
            pool,
            (connection, events) => ({
              products: createProductRepository(connection, events),
              allocationsView: createAllocationsViewWriter(connection),
              inbox: createSlonikInbox(racingAfterTheCheck(connection)),
            }),
            { maxAttempts: 3, baseDelayMs: 1, onRetry: () => void (retries += 1) },
          ),
      },
    },
  });

  await Promise.all([tasks.reallocate!.run(payload as Envelope), tasks.reallocate!.run(payload as Envelope)]);

  expect(
    await pool.any(sql.unsafe`SELECT order_id, batch_reference FROM allocations WHERE sku = 'TWICE' ORDER BY order_id`),
  ).toEqual([
    { order_id: 'twice-1', batch_reference: 'twice-here' },
    { order_id: 'twice-2', batch_reference: 'twice-later' },
  ]);
  expect(await pool.oneFirst(sql.unsafe`SELECT version FROM products WHERE sku = 'TWICE'`)).toBe(
    Number(versionBefore) + 1,
  );
  expect(await pool.anyFirst(sql.unsafe`SELECT consumer FROM processed_messages`)).toEqual(['reallocate']);
  // The loser's INSERT waited for the winner's row, failed, and its whole transaction ran again and found the row.
  expect(retries).toBe(1);
  // The read model heard the one Allocated.
  expect(
    await pool.anyFirst(sql.unsafe`SELECT batch_reference FROM allocations_view WHERE order_id = 'twice-2'`),
  ).toEqual(['twice-later']);
});

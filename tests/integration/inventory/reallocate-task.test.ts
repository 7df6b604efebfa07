import { sql } from 'slonik';
import { z } from 'zod';
import { bootstrap } from '../../../src/bootstrap.ts';
import type { Envelope } from '../../../src/core/messages.ts';
import { createPgMemDatabase, type PgMemDatabase } from '../../support/pg-mem.ts';
import { testConfig } from '../../support/config.ts';
import { createRecordingLogger } from '../../support/graphql.ts';

// The reallocate task end to end on the real adapters (slonik, pg-mem): the shrink's outbox enqueues it, and
// bootstrap's `tasks` run it as the worker would. (Real graphile-worker and Postgres: tests/e2e/allocation.test.ts.)

let database: PgMemDatabase;
beforeEach(async () => {
  database = await createPgMemDatabase();
});
afterEach(async () => database.end());

const application = () =>
  bootstrap({
    logger: createRecordingLogger(),
    pool: database.pool,
    config: testConfig({ OUT_OF_STOCK_NOTIFY: 'warehouse@example.com', EMAIL_FROM: 'kingdom@example.com' }),
  });

/** LAMP: `here` (in stock, 10) holds o-1, o-2 and o-3 (3 units each); `later` (arriving) has `laterRoom` units. */
const stocked = async (laterRoom: number) => {
  const app = application();
  const execute = app.bus.execute;
  await execute({ type: 'AddBatch', reference: 'here', sku: 'LAMP', quantity: 10, eta: null, ownerId: null });
  await execute({
    type: 'AddBatch',
    reference: 'later',
    sku: 'LAMP',
    quantity: laterRoom,
    eta: '2027-03-01',
    ownerId: null,
  });
  for (const orderId of ['o-1', 'o-2', 'o-3']) await execute({ type: 'Allocate', orderId, sku: 'LAMP', quantity: 3 });
  return app;
};

const lines = () =>
  database.pool.any(sql.type(z.object({ order_id: z.string(), batch_reference: z.string() }))`
    SELECT order_id, batch_reference FROM allocations ORDER BY order_id`);
const viewLines = () =>
  database.pool.any(sql.type(z.object({ order_id: z.string(), batch_reference: z.string() }))`
    SELECT order_id, batch_reference FROM allocations_view ORDER BY order_id`);
const version = () =>
  database.pool.oneFirst(sql.type(z.object({ version: z.number() }))`SELECT version FROM products WHERE sku = 'LAMP'`);
const reallocateJobs = () => database.jobs.filter((job) => job.task === 'reallocate');

describe('the reallocate task on the database', () => {
  it('a shrink that evicts two lines enqueues one reallocate job per line, in the shrink’s transaction', async () => {
    const { bus } = await stocked(10);

    await bus.execute({ type: 'ChangeBatchQuantity', reference: 'here', quantity: 4 });

    expect(await lines()).toEqual([{ order_id: 'o-1', batch_reference: 'here' }]);
    const jobs = reallocateJobs();
    expect(jobs.map((job) => (job.payload as Envelope).event)).toEqual([
      { type: 'Deallocated', orderId: 'o-3', sku: 'LAMP', quantity: 3, batchReference: 'here', reason: 'batch-shrunk' },
      { type: 'Deallocated', orderId: 'o-2', sku: 'LAMP', quantity: 3, batchReference: 'here', reason: 'batch-shrunk' },
    ]);
    expect(jobs.map((job) => job.jobKey)).toEqual(jobs.map((job) => `reallocate:${(job.payload as Envelope).id}`));
    expect(new Set(jobs.map((job) => job.jobKey)).size).toBe(2);
  });

  it('a cancellation enqueues no job', async () => {
    const { bus } = await stocked(10);

    await bus.execute({ type: 'Deallocate', orderId: 'o-2', sku: 'LAMP' });

    expect(database.jobs).toEqual([]);
  });

  it('run as the worker would, reallocates each line, keeps the read model in step, and a second delivery changes nothing', async () => {
    const { bus, tasks } = await stocked(10);
    await bus.execute({ type: 'ChangeBatchQuantity', reference: 'here', quantity: 4 });
    const [first, second] = reallocateJobs().map((job) => job.payload as Envelope);

    await tasks.reallocate!.run(first!);
    await tasks.reallocate!.run(second!);
    const after = await version();
    await tasks.reallocate!.run(first!);

    const expected = [
      { order_id: 'o-1', batch_reference: 'here' },
      { order_id: 'o-2', batch_reference: 'later' },
      { order_id: 'o-3', batch_reference: 'later' },
    ];
    expect(await lines()).toEqual(expected);
    expect(await viewLines()).toEqual(expected);
    expect(await version()).toBe(after);
    expect(await database.pool.anyFirst(sql.unsafe`SELECT consumer FROM processed_messages`)).toEqual([
      'reallocate',
      'reallocate',
    ]);
  });

  it('a redelivery after the reallocated line was cancelled does not allocate it again', async () => {
    const { bus, tasks } = await stocked(10);
    await bus.execute({ type: 'ChangeBatchQuantity', reference: 'here', quantity: 7 });
    const [job] = reallocateJobs();
    await tasks.reallocate!.run(job!.payload as Envelope);
    await bus.execute({ type: 'Deallocate', orderId: 'o-3', sku: 'LAMP' });

    await tasks.reallocate!.run(job!.payload as Envelope);

    expect((await lines()).map((line) => line.order_id)).toEqual(['o-1', 'o-2']);
  });

  it('when no batch has room, completes with OutOfStock committed, whose notifyOutOfStock job mails the warehouse', async () => {
    const { bus, tasks } = await stocked(2);
    await bus.execute({ type: 'ChangeBatchQuantity', reference: 'here', quantity: 7 });
    const [job] = reallocateJobs();

    await expect(tasks.reallocate!.run(job!.payload as Envelope)).resolves.toBeUndefined();

    expect((await lines()).map((line) => line.order_id)).toEqual(['o-1', 'o-2']);
    const notify = database.jobs.filter((each) => each.task === 'notifyOutOfStock');
    expect(notify.map((each) => (each.payload as Envelope).event)).toEqual([
      { type: 'OutOfStock', sku: 'LAMP', orderId: 'o-3', quantity: 3 },
    ]);
    await tasks.notifyOutOfStock!.run(notify[0]!.payload as Envelope);
    expect(await database.pool.anyFirst(sql.unsafe`SELECT recipient FROM sent_emails`)).toEqual([
      'warehouse@example.com',
    ]);
  });
});

import { sql, type DatabaseTransactionConnection } from 'slonik';
import { ConcurrentUpdateError } from '../../../src/core/errors.ts';
import type { Inbox } from '../../../src/core/ports.ts';
import { createSlonikInbox, PoisonMessageError } from '../../../src/platform/database/inbox.ts';
import { createPgMemDatabase, type PgMemDatabase } from '../../support/pg-mem.ts';

// The inbox adapter on pg-mem. Two real transactions racing is proven on real Postgres (tests/e2e).

let database: PgMemDatabase;
beforeEach(async () => {
  database = await createPgMemDatabase();
});
afterEach(async () => database.end());

const MESSAGE = '0b6f2c1e-3c1d-4a43-9b7e-6d2f1a0c9e11';

const inTransaction = <T>(work: (inbox: Inbox) => Promise<T>): Promise<T> =>
  database.pool.transaction((connection) => work(createSlonikInbox(connection)));

const storedRows = () =>
  database.pool.any(sql.unsafe`SELECT message_id, consumer FROM processed_messages ORDER BY consumer`);

describe('the inbox (processed_messages)', () => {
  it('answers true for a first delivery and records it', async () => {
    await expect(inTransaction((inbox) => inbox.firstDelivery(MESSAGE, 'notifyOutOfStock'))).resolves.toBe(true);

    expect(await storedRows()).toEqual([{ message_id: MESSAGE, consumer: 'notifyOutOfStock' }]);
  });

  it('answers false for a repeat, in a later transaction or the same one, and records nothing more', async () => {
    await inTransaction((inbox) => inbox.firstDelivery(MESSAGE, 'notifyOutOfStock'));

    await expect(inTransaction((inbox) => inbox.firstDelivery(MESSAGE, 'notifyOutOfStock'))).resolves.toBe(false);
    await expect(
      inTransaction(async (inbox) => [
        await inbox.firstDelivery('5d0f7a9e-1b2c-4d3e-8f40-a1b2c3d4e5f6', 'notifyOutOfStock'),
        await inbox.firstDelivery('5d0f7a9e-1b2c-4d3e-8f40-a1b2c3d4e5f6', 'notifyOutOfStock'),
      ]),
    ).resolves.toEqual([true, false]);
    expect(await storedRows()).toHaveLength(2);
  });

  it('keeps consumers apart: each task handles the same message once', async () => {
    await inTransaction((inbox) => inbox.firstDelivery(MESSAGE, 'notifyOutOfStock'));

    await expect(inTransaction((inbox) => inbox.firstDelivery(MESSAGE, 'auditOutOfStock'))).resolves.toBe(true);
  });

  it('forgets a delivery whose transaction rolled back', async () => {
    await expect(
      inTransaction(async (inbox) => {
        await inbox.firstDelivery(MESSAGE, 'notifyOutOfStock');
        throw new Error('the task failed after recording the delivery');
      }),
    ).rejects.toThrow('the task failed');

    expect(await storedRows()).toEqual([]);
    await expect(inTransaction((inbox) => inbox.firstDelivery(MESSAGE, 'notifyOutOfStock'))).resolves.toBe(true);
  });

  it('refuses a message id that is not a UUID as a poison message, before any SQL', async () => {
    const sentBefore = database.statements.length;

    const refusal = inTransaction((inbox) => inbox.firstDelivery('job-17', 'notifyOutOfStock'));

    await expect(refusal).rejects.toBeInstanceOf(PoisonMessageError);
    await expect(refusal).rejects.toThrow('Message id "job-17" for notifyOutOfStock is not a UUID');
    expect(database.statements.slice(sentBefore).some((text) => text.includes('processed_messages'))).toBe(false);
  });

  it('when a concurrent delivery inserts between its check and its insert, throws ConcurrentUpdateError (retried)', async () => {
    await inTransaction((inbox) => inbox.firstDelivery(MESSAGE, 'notifyOutOfStock'));
    // The check runs before the other delivery committed: it finds nothing, but the primary key does.
    const blindToTheRace = (connection: DatabaseTransactionConnection): DatabaseTransactionConnection =>
      new Proxy(connection, {
        get: (target, property) => (property === 'exists' ? async () => false : Reflect.get(target, property, target)),
      });

    const collision = database.pool.transaction((connection) =>
      createSlonikInbox(blindToTheRace(connection)).firstDelivery(MESSAGE, 'notifyOutOfStock'),
    );

    await expect(collision).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect(await storedRows()).toHaveLength(1);
  });
});

import { sql } from 'slonik';
import { bootstrap, type BootstrapOptions } from '../../../src/bootstrap.ts';
import type { Envelope } from '../../../src/core/messages.ts';
import type { EmailSender, UnitOfWork } from '../../../src/core/ports.ts';
import type { NotificationRepositories } from '../../../src/notifications/services/ports.ts';
import type { OutOfStock } from '../../../src/inventory/domain/events.ts';
import { createSlonikInbox } from '../../../src/platform/database/inbox.ts';
import { createSlonikUnitOfWork } from '../../../src/platform/database/unit-of-work.ts';
import { createTableEmailSender } from '../../../src/platform/email/table-email-sender.ts';
import { createPgMemDatabase, type PgMemDatabase } from '../../support/pg-mem.ts';
import { createRecordingLogger } from '../../support/graphql.ts';

// The notifyOutOfStock task as the worker runs it (bootstrap's tasks, slonik, pg-mem), and the outbox that feeds it.

let database: PgMemDatabase;
beforeEach(async () => {
  database = await createPgMemDatabase();
});
afterEach(async () => database.end());

const notifications = {
  outOfStockRecipients: ['warehouse@example.com', 'buyer@example.com'],
  from: 'kingdom@example.com',
};
const application = (
  options: Partial<BootstrapOptions> & { unitOfWork?: () => UnitOfWork<NotificationRepositories> } = {},
) => {
  const { unitOfWork, ...rest } = options;
  return bootstrap({
    logger: createRecordingLogger(),
    pool: database.pool,
    overrides: { notifications: { settings: notifications, ...(unitOfWork ? { unitOfWork } : {}) } },
    ...rest,
  });
};

const envelope: Envelope<OutOfStock> = {
  id: '0b6f2c1e-3c1d-4a43-9b7e-6d2f1a0c9e11',
  event: { type: 'OutOfStock', sku: 'RED-CHAIR', orderId: 'order-42', quantity: 7 },
  occurredAt: '2026-11-25T12:00:00.000Z',
};

const sentEmails = () => database.pool.any(sql.unsafe`SELECT recipient, subject FROM sent_emails ORDER BY id`);
const processed = () => database.pool.anyFirst(sql.unsafe`SELECT consumer FROM processed_messages`);
const mailedTo = () => database.pool.anyFirst(sql.unsafe`SELECT recipient FROM sent_emails ORDER BY id`);

describe('the notifyOutOfStock task on the database', () => {
  it('delivered twice, mails each recipient once and records the delivery once', async () => {
    const { tasks } = application();

    await tasks.notifyOutOfStock!.run(envelope);
    await tasks.notifyOutOfStock!.run(envelope);

    expect(await sentEmails()).toEqual([
      { recipient: 'warehouse@example.com', subject: 'Out of stock: RED-CHAIR' },
      { recipient: 'buyer@example.com', subject: 'Out of stock: RED-CHAIR' },
    ]);
    expect(await processed()).toEqual(['notifyOutOfStock']);
  });

  it('when the task crashes after mailing the first recipient, commits nothing; the next delivery mails each once', async () => {
    let crashes = 1;
    // The default wiring, except that the first delivery's second email fails after the first one was written.
    const crashingOnce = () =>
      createSlonikUnitOfWork(
        database.pool,
        (connection) => {
          const table = createTableEmailSender(connection);
          let sends = 0;
          const mail: EmailSender = {
            send: async (email) => {
              sends += 1;
              if (sends === 2 && crashes > 0) {
                crashes -= 1;
                throw new Error('the process died mid-task');
              }
              await table.send(email);
            },
          };
          return { inbox: createSlonikInbox(connection), mail };
        },
        { maxAttempts: 1, baseDelayMs: 0 },
      );
    const { tasks } = application({ unitOfWork: crashingOnce });

    await expect(tasks.notifyOutOfStock!.run(envelope)).rejects.toThrow('the process died mid-task');
    expect(await sentEmails()).toEqual([]);
    expect(await processed()).toEqual([]);

    await tasks.notifyOutOfStock!.run(envelope);
    expect(await mailedTo()).toEqual(['warehouse@example.com', 'buyer@example.com']);
  });

  it('when the configured sender fails, records no delivery, so the retry through the table sends exactly once', async () => {
    const failing: EmailSender = {
      send: async () => {
        throw new Error('SMTP 421: service not available');
      },
    };

    await expect(application({ emailSender: failing }).tasks.notifyOutOfStock!.run(envelope)).rejects.toThrow(
      'SMTP 421',
    );
    expect(await processed()).toEqual([]);

    const { tasks } = application();
    await tasks.notifyOutOfStock!.run(envelope);
    await tasks.notifyOutOfStock!.run(envelope);
    expect(await mailedTo()).toEqual(['warehouse@example.com', 'buyer@example.com']);
  });
});

describe('the outbox feeding notifyOutOfStock', () => {
  const clock = { now: () => new Date('2026-11-25T12:00:00.000Z') };
  const stocked = async (units: number) => {
    const app = application({ clock });
    await app.bus.execute({
      type: 'AddBatch',
      reference: 'chairs-1',
      sku: 'RED-CHAIR',
      quantity: units,
      eta: null,
      ownerId: null,
    });
    return app;
  };

  it('an allocation that finds no stock enqueues exactly one notifyOutOfStock job carrying the OutOfStock event', async () => {
    const { bus, tasks } = await stocked(5);

    await expect(
      bus.execute({ type: 'Allocate', orderId: 'order-42', sku: 'RED-CHAIR', quantity: 7 }),
    ).rejects.toMatchObject({
      name: 'OutOfStock',
    });

    expect(database.jobs).toEqual([
      {
        task: 'notifyOutOfStock',
        payload: {
          id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
          event: { type: 'OutOfStock', sku: 'RED-CHAIR', orderId: 'order-42', quantity: 7 },
          occurredAt: '2026-11-25T12:00:00.000Z',
        },
        maxAttempts: 10,
        jobKey: expect.stringMatching(/^notifyOutOfStock:/),
      },
    ]);
    const [job] = database.jobs;
    expect(job?.jobKey).toBe(`notifyOutOfStock:${(job?.payload as Envelope).id}`);

    // What the worker would then do with it.
    await tasks.notifyOutOfStock!.run(job?.payload as Envelope);
    expect(await mailedTo()).toEqual(['warehouse@example.com', 'buyer@example.com']);
  });

  it('an allocation that succeeds enqueues no job', async () => {
    const { bus } = await stocked(10);

    await bus.execute({ type: 'Allocate', orderId: 'order-42', sku: 'RED-CHAIR', quantity: 7 });

    expect(database.jobs).toEqual([]);
  });
});

import { sql } from 'slonik';
import { bootstrap } from '../../../src/bootstrap.ts';
import type { EmailSender } from '../../../src/core/ports.ts';
import type { OutOfStock } from '../../../src/inventory/domain/events.ts';
import { createSqsHandler } from '../../../src/platform/jobs/sqs-handler.ts';
import { testConfig } from '../../support/config.ts';
import { createRecordingLogger } from '../../support/graphql.ts';
import { createPgMemDatabase, type PgMemDatabase } from '../../support/pg-mem.ts';
import { envelopeFor, sqsEvent, sqsRecord, taskBody } from '../../unit/jobs/sqs-records.ts';

const RECIPIENTS = ['warehouse@kingdom.test', 'buyer@kingdom.test'];

let database: PgMemDatabase;
beforeEach(async () => {
  database = await createPgMemDatabase();
});
afterEach(async () => database.end());

const handlerOver = (db: PgMemDatabase, emailSender?: EmailSender) => {
  const logger = createRecordingLogger();
  const app = bootstrap({
    logger,
    pool: db.pool,
    config: testConfig({ OUT_OF_STOCK_NOTIFY: RECIPIENTS.join(','), EMAIL_FROM: 'Kingdom <no-reply@kingdom.test>' }),
    ...(emailSender ? { emailSender } : {}),
  });
  return { handle: createSqsHandler(app.tasks, logger), logger };
};

const outOfStock = () =>
  envelopeFor('OutOfStock', { sku: 'RED-CHAIR', orderId: 'order-7', quantity: 3 } satisfies Omit<OutOfStock, 'type'>);

const sentTo = async (db: PgMemDatabase): Promise<readonly string[]> =>
  [...(await db.pool.anyFirst(sql.unsafe`SELECT recipient FROM sent_emails`))].map(String).sort();

describe('notifyOutOfStock through the SQS handler, on the real adapters', () => {
  it('sends one email per recipient however often SQS delivers the message, and reports only the poison record', async () => {
    const { handle } = handlerOver(database);
    const envelope = outOfStock();
    const first = sqsRecord(taskBody('notifyOutOfStock', envelope));
    const redelivery = sqsRecord(taskBody('notifyOutOfStock', envelope));
    const poison = sqsRecord('{"task": "notifyOutOfStock", "envelope": {"event": {"type": "OutOfStock"}}}');

    const response = await handle(sqsEvent(first, poison, redelivery));

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: poison.messageId }] });
    expect(await sentTo(database)).toEqual([...RECIPIENTS].sort());
    expect(await database.pool.anyFirst(sql.unsafe`SELECT message_id FROM processed_messages`)).toEqual([envelope.id]);
  });

  it('a later batch redelivering the same message (after a visibility timeout) sends nothing more', async () => {
    const { handle } = handlerOver(database);
    const envelope = outOfStock();

    await expect(handle(sqsEvent(sqsRecord(taskBody('notifyOutOfStock', envelope))))).resolves.toEqual({
      batchItemFailures: [],
    });
    await expect(handle(sqsEvent(sqsRecord(taskBody('notifyOutOfStock', envelope))))).resolves.toEqual({
      batchItemFailures: [],
    });

    expect(await sentTo(database)).toEqual([...RECIPIENTS].sort());
  });

  it('two different events each notify every recipient', async () => {
    const { handle } = handlerOver(database);

    await handle(
      sqsEvent(
        sqsRecord(taskBody('notifyOutOfStock', outOfStock())),
        sqsRecord(taskBody('notifyOutOfStock', outOfStock())),
      ),
    );

    expect(await sentTo(database)).toEqual([...RECIPIENTS, ...RECIPIENTS].sort());
  });

  it('when the mail server fails, only that record comes back, and its redelivery still notifies', async () => {
    const down: EmailSender = {
      send: async () => {
        throw new Error('421 service not available');
      },
    };
    const envelope = outOfStock();
    const record = sqsRecord(taskBody('notifyOutOfStock', envelope));

    const failing = handlerOver(database, down);
    await expect(failing.handle(sqsEvent(record))).resolves.toEqual({
      batchItemFailures: [{ itemIdentifier: record.messageId }],
    });
    expect(failing.logger.entries).toContainEqual(
      expect.objectContaining({
        level: 'error',
        object: expect.objectContaining({ messageId: record.messageId, task: 'notifyOutOfStock' }),
      }),
    );
    // The inbox row rolled back with the failed send, so the message is not mistaken for handled.
    expect(await database.pool.anyFirst(sql.unsafe`SELECT message_id FROM processed_messages`)).toEqual([]);

    const { handle } = handlerOver(database);
    await expect(handle(sqsEvent(record))).resolves.toEqual({ batchItemFailures: [] });
    expect(await sentTo(database)).toEqual([...RECIPIENTS].sort());
  });
});

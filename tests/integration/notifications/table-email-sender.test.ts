import { sql } from 'slonik';
import { createTableEmailSender } from '../../../src/platform/email/table-email-sender.ts';
import { createPgMemDatabase, type PgMemDatabase } from '../../support/pg-mem.ts';

let database: PgMemDatabase;
beforeEach(async () => {
  database = await createPgMemDatabase();
});
afterEach(async () => database.end());

const sentEmails = () => database.pool.any(sql.unsafe`SELECT recipient, subject, body FROM sent_emails ORDER BY id`);

const email = {
  to: 'warehouse@example.com',
  subject: 'Out of stock: RED-CHAIR',
  body: "Order o-1's line\nfound no batch.",
};

describe('the table email sender (sent_emails)', () => {
  it('stores each email as sent, in order, text kept verbatim', async () => {
    await database.pool.transaction(async (connection) => {
      const mail = createTableEmailSender(connection);
      await mail.send(email);
      await mail.send({ ...email, to: 'buyer@example.com' });
    });

    expect(await sentEmails()).toEqual([
      { recipient: 'warehouse@example.com', subject: email.subject, body: email.body },
      { recipient: 'buyer@example.com', subject: email.subject, body: email.body },
    ]);
  });

  it('sends nothing when the transaction it was sent in rolls back', async () => {
    await expect(
      database.pool.transaction(async (connection) => {
        await createTableEmailSender(connection).send(email);
        throw new Error('the task failed after sending');
      }),
    ).rejects.toThrow('the task failed');

    expect(await sentEmails()).toEqual([]);
  });
});

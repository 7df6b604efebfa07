import { sql, type DatabaseTransactionConnection } from 'slonik';
import type { EmailSender } from '../../core/ports.ts';

/**
 * "Sends" by inserting into sent_emails (EMAIL_TRANSPORT=table: development and tests). It writes through the task's
 * transaction connection, so a task that fails or rolls back has sent nothing, and a retried one sends once.
 */
export const createTableEmailSender = (connection: DatabaseTransactionConnection): EmailSender => ({
  send: async ({ to, subject, body }) => {
    await connection.query(sql.unsafe`
      INSERT INTO sent_emails (recipient, subject, body) VALUES (${to}, ${subject}, ${body})`);
  },
});

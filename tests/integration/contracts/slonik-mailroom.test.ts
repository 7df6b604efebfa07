import { z } from 'zod';
import { sql } from 'slonik';
import { createSlonikInbox } from '../../../src/platform/database/inbox.ts';
import { createSlonikUnitOfWork } from '../../../src/platform/database/unit-of-work.ts';
import { createTableEmailSender } from '../../../src/platform/email/table-email-sender.ts';
import { describeMailroomUnitOfWorkContract } from '../../contracts/platform/mailroom-unit-of-work.ts';
import { createPgMemDatabase } from '../../support/pg-mem.ts';

const sentEmail = z.object({ to: z.string(), subject: z.string(), body: z.string() });

describe('the slonik unit of work with the inbox and the table email sender', () => {
  describeMailroomUnitOfWorkContract(async () => {
    const database = await createPgMemDatabase();
    const unitOfWork = createSlonikUnitOfWork(
      database.pool,
      (connection) => ({ inbox: createSlonikInbox(connection), mail: createTableEmailSender(connection) }),
      { maxAttempts: 3, baseDelayMs: 1, sleep: async () => undefined },
    );
    return {
      unitOfWork,
      sent: async () => [
        ...(await database.pool.any(sql.type(sentEmail)`
          SELECT recipient AS "to", subject, body FROM sent_emails ORDER BY id`)),
      ],
      end: () => database.end(),
    };
  });
});

import type { DomainEvent } from '../../../src/core/messages.ts';
import { createPasswordResetRepository } from '../../../src/identity/adapters/slonik-password-reset-repository.ts';
import {
  ADA,
  BOB,
  describePasswordResetRepositoryContract,
} from '../../contracts/identity/password-reset-repository.ts';
import { createPgMemDatabase } from '../../support/pg-mem.ts';
import { insertUser } from '../identity/identity-rows.ts';

describe('the slonik password reset repository', () => {
  describePasswordResetRepositoryContract(async () => {
    const database = await createPgMemDatabase();
    await insertUser(database, { id: ADA, email: 'ada@example.com' });
    await insertUser(database, { id: BOB, email: 'bob@example.com' });
    return {
      inTransaction: (work) =>
        database.pool.transaction((connection) => {
          const events: DomainEvent[] = [];
          return work(
            createPasswordResetRepository(connection, { record: (more) => void events.push(...more) }),
            events,
          );
        }),
      end: () => database.end(),
    };
  });
});

import { createPasswordResetRepository } from '../../../src/identity/adapters/slonik-password-reset-repository.ts';
import { createSessionRepository } from '../../../src/identity/adapters/slonik-session-repository.ts';
import { createUserRepository } from '../../../src/identity/adapters/slonik-user-repository.ts';
import { createSlonikUnitOfWork } from '../../../src/platform/database/unit-of-work.ts';
import { describeUserRepositoryContract } from '../../contracts/identity/user-repository.ts';
import { createPgMemDatabase } from '../../support/pg-mem.ts';

describe('the slonik user repository', () => {
  describeUserRepositoryContract(async () => {
    const database = await createPgMemDatabase();
    const unitOfWork = createSlonikUnitOfWork(
      database.pool,
      (connection, events) => ({
        users: createUserRepository(connection, events),
        sessions: createSessionRepository(connection, events),
        passwordResets: createPasswordResetRepository(connection, events),
      }),
      { maxAttempts: 3, baseDelayMs: 0 },
    );
    return { unitOfWork, end: () => database.end() };
  });
});

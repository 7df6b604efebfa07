import { sql } from 'slonik';
import { createIdentityViews } from '../../../src/identity/adapters/slonik-identity-views.ts';
import { describeIdentityViewsContract, SEEDED_USERS } from '../../contracts/identity/identity-views.ts';
import { createPgMemDatabase } from '../../support/pg-mem.ts';
import { fixedScope } from '../../support/scopes.ts';

describe('the slonik identity views', () => {
  describeIdentityViewsContract(async () => {
    const database = await createPgMemDatabase();
    for (const user of SEEDED_USERS) {
      await database.pool.query(sql.unsafe`
        INSERT INTO users (id, email, name, password_hash, created_at)
        VALUES (${user.id}, ${user.email}, ${user.name}, 'hash', ${sql.timestamp(user.createdAt)})`);
      for (const role of user.roles) {
        await database.pool.query(sql.unsafe`INSERT INTO user_roles (user_id, role) VALUES (${user.id}, ${role})`);
      }
    }
    return { views: (scope) => createIdentityViews(database.pool, fixedScope(scope)), end: () => database.end() };
  });
});

import { sql } from 'slonik';
import type { PgMemDatabase } from '../../support/pg-mem.ts';

/**
 * A user written straight into the tables, as sign-up and grantRole would leave it. user_roles.role references
 * roles: the built-in admin and member exist, any other role named here is created (without policies) first.
 */
export const insertUser = (
  database: PgMemDatabase,
  user: { id: string; email: string; name?: string; roles?: readonly string[] },
) =>
  database.pool.transaction(async (connection) => {
    await connection.query(sql.unsafe`
      INSERT INTO users (id, email, name, password_hash, version)
      VALUES (${user.id}, ${user.email}, ${user.name ?? user.email}, 'secret-hash', 1)`);
    for (const role of user.roles ?? []) {
      await connection.query(sql.unsafe`INSERT INTO roles (name) VALUES (${role}) ON CONFLICT (name) DO NOTHING`);
      await connection.query(sql.unsafe`INSERT INTO user_roles (user_id, role) VALUES (${user.id}, ${role})`);
    }
  });

export { fixedScope, keysScope, NOTHING } from '../../support/scopes.ts';

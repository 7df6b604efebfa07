import { sql } from 'slonik';
import { z } from 'zod';
import type { PgMemDatabase } from '../../support/pg-mem.ts';

/** Rows written straight to the database, so each test states exactly what exists before the code under test runs. */
export const insertUser = async (database: PgMemDatabase, id: string, roles: readonly string[] = []): Promise<void> => {
  await database.pool.query(sql.unsafe`
    INSERT INTO users (id, email, name, password_hash) VALUES (${id}, ${`${id}@example.com`}, 'Someone', 'x')`);
  for (const role of roles)
    await database.pool.query(sql.unsafe`INSERT INTO user_roles (user_id, role) VALUES (${id}, ${role})`);
};

export const insertRole = (database: PgMemDatabase, name: string, policies: unknown = []) =>
  database.pool.query(
    sql.unsafe`INSERT INTO roles (name, policies) VALUES (${name}, ${sql.jsonb(policies as object)})`,
  );

/** Every grant as `userId:role`, in order. */
export const grantsStored = async (database: PgMemDatabase): Promise<readonly string[]> =>
  database.pool.anyFirst(sql.type(z.object({ held: z.string() }))`
    SELECT user_id || ':' || role AS held FROM user_roles ORDER BY user_id, role`);

export { fixedScope, keysScope, NOTHING } from '../../support/scopes.ts';

/**
 * The callers of the benchmark besides the administrator (whom the server creates from KINGDOM_ADMIN_*): a reader
 * whose reads are scoped. Its role grants PRODUCT and BATCH READ on OWNER only, so every page it reads carries the
 * scope in its SQL, and it owns every seeded product, so its pages hold the same rows as PostGraphile's anonymous
 * ones (the check before the load compares them). Seeded straight into the tables, before the servers start.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { sql, type DatabasePool } from 'slonik';
import { createArgon2PasswordHasher } from '../../src/identity/adapters/argon2-password-hasher.ts';

export const READER = {
  id: randomUUID(),
  email: 'bench-reader@kingdom.local',
  password: `bench-${randomBytes(9).toString('base64url')}`,
  role: 'bench-reader',
} as const;

const READER_POLICIES = [
  { resource: 'PRODUCT', actions: ['READ'], selectors: ['OWNER'] },
  { resource: 'BATCH', actions: ['READ'], selectors: ['OWNER'] },
];

export const seedReader = async (pool: DatabasePool): Promise<void> => {
  const passwordHash = await createArgon2PasswordHasher().hash(READER.password);
  await pool.query(sql.unsafe`
    INSERT INTO users (id, email, name, password_hash)
    VALUES (${READER.id}, ${READER.email}, 'Benchmark reader', ${passwordHash})`);
  await pool.query(sql.unsafe`
    INSERT INTO roles (name, policies) VALUES (${READER.role}, ${sql.jsonb(READER_POLICIES)})`);
  await pool.query(sql.unsafe`
    INSERT INTO user_roles (user_id, role) VALUES (${READER.id}, ${READER.role}), (${READER.id}, 'member')`);
};

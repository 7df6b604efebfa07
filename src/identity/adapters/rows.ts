import { sql, type FragmentSqlToken } from 'slonik';
import { z } from 'zod';

/** Row shapes at the adapter edge; every row is checked against these (see platform/database/pool.ts). */
export const userRow = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  passwordHash: z.string(),
  failedLogins: z.number().int(),
  lockedUntil: z.date().nullable(),
  version: z.number().int(),
  createdAt: z.date(),
});

/** A user joined with one of its roles (null for a user without any), so a user loads in one round trip. */
export const userWithRoleRow = userRow.extend({ role: z.string().nullable() });

/** What the read side shows of a user (never the password hash), joined with one of its roles like the above. */
export const userViewRow = userRow.pick({ id: true, email: true, name: true, createdAt: true }).extend({
  role: z.string().nullable(),
});

export const sessionRow = z.object({
  id: z.string(),
  userId: z.string(),
  tokenHash: z.string(),
  expiresAt: z.date(),
  revokedAt: z.date().nullable(),
  version: z.number().int(),
  createdAt: z.date(),
});

export const passwordResetRow = z.object({
  id: z.string(),
  tokenHash: z.string().nullable(),
  userId: z.string(),
  expiresAt: z.date(),
  usedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
  createdAt: z.date(),
});

export const userColumns = sql.fragment`
  users.id, users.email, users.name, users.password_hash AS "passwordHash", users.failed_logins AS "failedLogins",
  users.locked_until AS "lockedUntil", users.version, users.created_at AS "createdAt"`;

export const sessionColumns = sql.fragment`
  sessions.id, sessions.user_id AS "userId", sessions.token_hash AS "tokenHash", sessions.expires_at AS "expiresAt",
  sessions.revoked_at AS "revokedAt", sessions.version, sessions.created_at AS "createdAt"`;

/** Users with their roles (alphabetical), filtered by `where`; one row per role, `role` null for none. */
export const selectUsersWithRoles = (where: FragmentSqlToken) => sql.type(userWithRoleRow)`
  SELECT ${userColumns}, user_roles.role
  FROM users LEFT JOIN user_roles ON user_roles.user_id = users.id
  WHERE ${where}
  ORDER BY user_roles.role`;

type UserWithRole = z.infer<typeof userWithRoleRow>;

/** Folds the joined rows of one user back into the user and its roles. */
export const foldRoles = (rows: readonly UserWithRole[]): (z.infer<typeof userRow> & { roles: string[] }) | null => {
  const [first] = rows;
  if (!first) return null;
  const { role: _role, ...user } = first;
  return { ...user, roles: rows.flatMap(({ role }) => (role === null ? [] : [role])) };
};

/** Ids are uuid columns: anything else can match no row, and Postgres would reject it as a syntax error. */
export { isUserId as isUuid } from '../domain/user.ts';

/** A nullable timestamptz parameter (`sql.timestamp` takes a Date only). */
export const timestamptz = (value: Date | null): FragmentSqlToken =>
  value === null ? sql.fragment`NULL` : sql.fragment`${sql.timestamp(value)}`;

import { ForeignKeyIntegrityConstraintViolationError, sql, type DatabaseTransactionConnection } from 'slonik';
import { z } from 'zod';
import { ACCESS_CHANNEL, encodeAccessChange } from '../../core/access-changes.ts';
import { ConcurrentUpdateError } from '../../core/errors.ts';
import type { EventRecorder } from '../../core/ports.ts';
import { notify } from '../../platform/database/channels.ts';
import type { RoleHolder } from '../domain/holder.ts';
import type { RoleGrantRepository } from '../services/ports.ts';
import { isUuid } from './rows.ts';

const userWithRole = z.object({ id: z.string(), role: z.string().nullable() });
const grantedRole = z.object({ role: z.string() });
const holder = z.object({ userId: z.string() });

/**
 * The roles users hold (user_roles), saved as a diff against what was loaded in this transaction. Every write must
 * change exactly the rows the diff names: a row that another transaction inserted or deleted meanwhile, or a user
 * or role deleted meanwhile (the foreign keys), is a ConcurrentUpdateError, so the retry decides again and no
 * RoleGranted or RoleRevoked is ever reported for a change this transaction did not make. A change is announced to
 * every instance (`user:<id>` on kingdom_access, delivered if the transaction commits), whose caches of permissions
 * drop the user's.
 */
export const createRoleGrantRepository = (
  connection: DatabaseTransactionConnection,
  events: EventRecorder,
): RoleGrantRepository => {
  const loaded = new Map<string, readonly string[]>();

  const holderOf = async (userId: string): Promise<RoleHolder | null> => {
    if (!isUuid(userId)) return null;
    // One statement: the user's existence and their roles (a user without any comes back as one row, role null).
    const rows = await connection.any(sql.type(userWithRole)`
      SELECT users.id, user_roles.role
      FROM users LEFT JOIN user_roles ON user_roles.user_id = users.id
      WHERE users.id = ${userId}
      ORDER BY user_roles.role`);
    if (rows.length === 0) return null;
    const roles = rows.flatMap(({ role }) => (role === null ? [] : [role]));
    loaded.set(userId, roles);
    return { userId, roles, events: [] };
  };

  const revokeRow = async (userId: string, role: string): Promise<void> => {
    const deleted = await connection.maybeOneFirst(sql.type(grantedRole)`
      DELETE FROM user_roles WHERE user_id = ${userId} AND role = ${role} RETURNING role`);
    if (deleted === null) throw new ConcurrentUpdateError(`The grant of ${role} to user ${userId}`);
  };

  // A grant that already exists is skipped, not an error that would abort the transaction; RETURNING then names only
  // the rows inserted, so a shorter list means another transaction granted one meanwhile.
  const grantRows = async (userId: string, roles: readonly string[]): Promise<void> => {
    const rows = roles.map((role) => sql.fragment`(${userId}, ${role})`);
    const inserted = await connection
      .anyFirst(
        sql.type(grantedRole)`
        INSERT INTO user_roles (user_id, role) VALUES ${sql.join(rows, sql.fragment`, `)}
        ON CONFLICT (user_id, role) DO NOTHING
        RETURNING role`,
      )
      .catch((error: unknown) => {
        if (error instanceof ForeignKeyIntegrityConstraintViolationError) {
          throw new ConcurrentUpdateError(`User ${userId} or one of the roles ${roles.join(', ')}`);
        }
        throw error;
      });
    if (inserted.length !== roles.length) throw new ConcurrentUpdateError(`A grant to user ${userId}`);
  };

  return {
    holderOf,

    async lockHoldersOf(role) {
      // NO KEY UPDATE, not UPDATE: it excludes its like (and UPDATE, DELETE), but not the KEY SHARE lock a grant's
      // foreign key check takes on the role, so granting the role never waits for a revocation.
      await connection.query(sql.unsafe`SELECT name FROM roles WHERE name = ${role} FOR NO KEY UPDATE`);
      // A statement of its own: under READ COMMITTED it reads what committed while this one waited for the lock.
      return connection.anyFirst(sql.type(holder)`
        SELECT user_id AS "userId" FROM user_roles WHERE role = ${role} ORDER BY user_id`);
    },

    async save(holder) {
      const before = loaded.get(holder.userId) ?? (await holderOf(holder.userId))?.roles ?? [];
      const added = [...new Set(holder.roles)].filter((role) => !before.includes(role));
      const removed = before.filter((role) => !holder.roles.includes(role));
      for (const role of removed) await revokeRow(holder.userId, role);
      if (added.length > 0) await grantRows(holder.userId, added);
      if (added.length + removed.length > 0) {
        await notify(connection, ACCESS_CHANNEL, encodeAccessChange({ kind: 'user', userId: holder.userId }));
      }
      events.record(holder.events);
      loaded.set(holder.userId, holder.roles);
    },
  };
};

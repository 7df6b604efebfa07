import {
  sql,
  UniqueIntegrityConstraintViolationError,
  type DatabaseTransactionConnection,
  type FragmentSqlToken,
} from 'slonik';
import { z } from 'zod';
import { ACCESS_CHANNEL, encodeAccessChange } from '../../core/access-changes.ts';
import { ConcurrentUpdateError } from '../../core/errors.ts';
import type { EventRecorder } from '../../core/ports.ts';
import { notify } from '../../platform/database/channels.ts';
import type { User } from '../domain/user.ts';
import type { UserRepository } from '../services/ports.ts';
import { foldRoles, isUuid, selectUsersWithRoles, timestamptz } from './rows.ts';

/**
 * Users with their roles, saved as a diff against what was loaded in this transaction (an unchanged role costs no
 * statement). The version check makes a concurrent save of the same user fail instead of silently overwriting it.
 *
 * A unique violation on insert (the email, or the id, taken by a transaction that committed meanwhile) is reported
 * as ConcurrentUpdateError too: the unit of work retries, and the handler's own "email taken" check then sees the
 * other user. It is never mapped to a message here, so the handler alone decides what a taken email reveals.
 */
export const createUserRepository = (
  connection: DatabaseTransactionConnection,
  events: EventRecorder,
): UserRepository => {
  const loaded = new Map<string, User>();

  const load = async (where: FragmentSqlToken): Promise<User | null> => {
    const found = foldRoles(await connection.any(selectUsersWithRoles(where)));
    if (!found) return null;
    const user: User = { ...found, events: [] };
    loaded.set(user.id, user);
    return user;
  };

  const insertRow = async (user: User): Promise<void> => {
    try {
      await connection.query(sql.unsafe`
        INSERT INTO users (id, email, name, password_hash, failed_logins, locked_until, version, created_at)
        VALUES (${user.id}, ${user.email}, ${user.name}, ${user.passwordHash}, ${user.failedLogins},
                ${timestamptz(user.lockedUntil)}, 1, ${sql.timestamp(user.createdAt)})`);
    } catch (error) {
      if (error instanceof UniqueIntegrityConstraintViolationError) throw new ConcurrentUpdateError(`User ${user.id}`);
      throw error;
    }
  };

  const updateRow = async (user: User): Promise<void> => {
    const updated = await connection
      .maybeOneFirst(
        sql.type(z.object({ id: z.string() }))`
        UPDATE users SET email = ${user.email}, name = ${user.name}, password_hash = ${user.passwordHash},
          failed_logins = ${user.failedLogins}, locked_until = ${timestamptz(user.lockedUntil)}, version = version + 1
        WHERE id = ${user.id} AND version = ${user.version}
        RETURNING id`,
      )
      .catch((error: unknown) => {
        if (error instanceof UniqueIntegrityConstraintViolationError)
          throw new ConcurrentUpdateError(`User ${user.id}`);
        throw error;
      });
    if (updated === null) throw new ConcurrentUpdateError(`User ${user.id}`);
  };

  /** The roles as loaded in this transaction; read afresh for a user saved without being loaded here. */
  const rolesBefore = async (user: User): Promise<readonly string[]> =>
    user.version === 0
      ? []
      : (loaded.get(user.id)?.roles ??
        connection.anyFirst(
          sql.type(z.object({ role: z.string() }))`SELECT role FROM user_roles WHERE user_id = ${user.id}`,
        ));

  const saveRoles = async (user: User): Promise<void> => {
    const before = await rolesBefore(user);
    const added = [...new Set(user.roles)].filter((role) => !before.includes(role));
    const removed = before.filter((role) => !user.roles.includes(role));
    // Roles are the access context's: announce the change as it does, so every instance's cached permissions of
    // this user are dropped (the administrator promoted at start-up may be cached by instances already running).
    if (user.version > 0 && added.length + removed.length > 0) {
      await notify(connection, ACCESS_CHANNEL, encodeAccessChange({ kind: 'user', userId: user.id }));
    }
    for (const role of removed) {
      await connection.query(sql.unsafe`DELETE FROM user_roles WHERE user_id = ${user.id} AND role = ${role}`);
    }
    if (added.length === 0) return;
    const rows = added.map((role) => sql.fragment`(${user.id}, ${role})`);
    await connection.query(
      sql.unsafe`INSERT INTO user_roles (user_id, role) VALUES ${sql.join(rows, sql.fragment`, `)}`,
    );
  };

  return {
    get: async (id) => (isUuid(id) ? load(sql.fragment`users.id = ${id}`) : null),

    /** Matches the stored (normalised) email exactly: normalise before asking. */
    findByEmail: (email) => load(sql.fragment`users.email = ${email}`),

    async save(user) {
      if (user.version === 0) await insertRow(user);
      else await updateRow(user);
      await saveRoles(user);
      events.record(user.events);
      loaded.set(user.id, { ...user, version: user.version + 1, events: [] });
    },
  };
};

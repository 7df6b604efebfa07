import { sql, type DatabaseTransactionConnection } from 'slonik';
import { z } from 'zod';
import { ACCESS_CHANNEL, encodeAccessChange } from '../../core/access-changes.ts';
import { ConcurrentUpdateError } from '../../core/errors.ts';
import type { EventRecorder } from '../../core/ports.ts';
import { notify } from '../../platform/database/channels.ts';
import type { Role } from '../domain/role.ts';
import type { RoleRepository } from '../services/ports.ts';
import { roleColumns, roleRow } from './rows.ts';

const saved = z.object({ name: z.string() });

/**
 * Roles, each save guarded by the version it was loaded at. A name taken by a transaction that committed meanwhile
 * is reported as ConcurrentUpdateError, never as a message: the unit of work retries and the handler's own
 * "exists" check then reports it. ON CONFLICT keeps that case free of an SQL error, which would abort the
 * transaction; it names the name as its target, so a clash on any other constraint still fails loudly.
 * Deleting a role removes its grants too (user_roles' foreign key cascades). Changing or deleting one announces it
 * to every instance (`role:<name>` on kingdom_access, delivered if the transaction commits), whose caches of
 * permissions drop its holders.
 */
export const createRoleRepository = (
  connection: DatabaseTransactionConnection,
  events: EventRecorder,
): RoleRepository => {
  const write = async (role: Role): Promise<string | null> => {
    if (role.version === 0) {
      return connection.maybeOneFirst(sql.type(saved)`
        INSERT INTO roles (name, policies, built_in, version)
        VALUES (${role.name}, ${sql.jsonb(role.policies)}, false, 1)
        ON CONFLICT (name) DO NOTHING
        RETURNING name`);
    }
    if (role.deleted) {
      return connection.maybeOneFirst(sql.type(saved)`
        DELETE FROM roles WHERE name = ${role.name} AND version = ${role.version} RETURNING name`);
    }
    return connection.maybeOneFirst(sql.type(saved)`
      UPDATE roles SET policies = ${sql.jsonb(role.policies)}, version = version + 1
      WHERE name = ${role.name} AND version = ${role.version}
      RETURNING name`);
  };

  return {
    async get(name) {
      const row = await connection.maybeOne(sql.type(roleRow)`SELECT ${roleColumns} FROM roles WHERE name = ${name}`);
      return row && { ...row, deleted: false, events: [] };
    },

    async save(role) {
      if ((await write(role)) === null) throw new ConcurrentUpdateError(`Role ${role.name}`);
      // A new role is held by nobody yet: nothing cached can depend on it.
      if (role.version > 0)
        await notify(connection, ACCESS_CHANNEL, encodeAccessChange({ kind: 'role', role: role.name }));
      events.record(role.events);
    },
  };
};

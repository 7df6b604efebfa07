import type { AccessEvent } from './events.ts';

/**
 * A user as the access context sees them: the names of the roles they hold. Granting and revoking are idempotent:
 * the same holder comes back (no event) when there is nothing to change.
 */
export type RoleHolder = {
  readonly userId: string;
  readonly roles: readonly string[];
  readonly events: readonly AccessEvent[];
};

export const grant = (holder: RoleHolder, role: string): RoleHolder =>
  holder.roles.includes(role)
    ? holder
    : {
        ...holder,
        roles: [...holder.roles, role],
        events: [...holder.events, { type: 'RoleGranted', userId: holder.userId, role }],
      };

export const revoke = (holder: RoleHolder, role: string): RoleHolder =>
  holder.roles.includes(role)
    ? {
        ...holder,
        roles: holder.roles.filter((held) => held !== role),
        events: [...holder.events, { type: 'RoleRevoked', userId: holder.userId, role }],
      }
    : holder;

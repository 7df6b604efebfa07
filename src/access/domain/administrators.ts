import { DomainError } from '../../core/errors.ts';
import { ADMIN_ROLE } from './role.ts';

/**
 * An administrator is a user holding the built-in admin role: the one role nobody can change or delete, and the only
 * one guaranteed to grant everything (ROLE administration included). So the application never loses its last
 * administrator: without one, nobody could grant or change a role ever again.
 */
export const isAdministration = (role: string): boolean => role === ADMIN_ROLE;

export const lastAdministrator = (): DomainError =>
  new DomainError(
    'InvalidInput',
    'LastAdministrator',
    'This user is the last administrator: grant the admin role to someone else before taking it from them',
    { field: 'input.userId' },
  );

/**
 * Refuses to take the admin role from `userId` when they are its only holder. `holders` must be read under a lock
 * that every such revocation takes first (RoleGrantRepository.lockHoldersOf), so two revocations at once are decided
 * one after the other, the second on what the first committed.
 */
export const ensureAnAdministratorRemains = (userId: string, holders: readonly string[]): void => {
  if (holders.includes(userId) && holders.length <= 1) throw lastAdministrator();
};

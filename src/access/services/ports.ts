import type { ResourceCatalog } from '../../core/access.ts';
import type { Clock, UnitOfWork } from '../../core/ports.ts';
import type { RoleHolder } from '../domain/holder.ts';
import type { Role } from '../domain/role.ts';

/**
 * Roles inside the current unit of work. `save` inserts a new role (version 0), deletes one marked `deleted`, or
 * writes its policies, each with an optimistic version check: a stale version, or a name taken meanwhile, is a
 * ConcurrentUpdateError (the unit of work retries; the handler's own checks then report what happened). It hands
 * the role's events to the unit of work.
 */
export type RoleRepository = {
  get(name: string): Promise<Role | null>;
  save(role: Role): Promise<void>;
};

/**
 * Who holds which role. `holderOf` is null for a user who does not exist. `save` writes the roles granted and
 * revoked since the holder was loaded; a grant or revocation that another transaction made (or made impossible)
 * meanwhile is a ConcurrentUpdateError, so a retry decides again on fresh data and no event is ever reported twice.
 */
export type RoleGrantRepository = {
  holderOf(userId: string): Promise<RoleHolder | null>;
  save(holder: RoleHolder): Promise<void>;
  /**
   * The users holding `role`, read after locking the role against every other transaction that calls this for it
   * (until commit): of two revocations that decide on its holders, the second waits and decides on what the first
   * committed. Grants of the role do not wait for it.
   */
  lockHoldersOf(role: string): Promise<readonly string[]>;
};

export type AccessRepositories = { readonly roles: RoleRepository; readonly grants: RoleGrantRepository };

/** What every access handler may use, injected by the composition root (src/bootstrap.ts). */
export type AccessDependencies = {
  readonly uow: UnitOfWork<AccessRepositories>;
  readonly clock: Clock;
  /** Every resource the application's contexts declare: what a policy may name, and its key format. */
  readonly resources: ResourceCatalog;
};

import type { Policy } from '../../core/access.ts';
import type { Page, PageArgs } from '../../core/pagination.ts';

/** Read side of access: what resolvers receive for `Role` (codegen mapper). */
export type RoleView = {
  readonly name: string;
  readonly builtIn: boolean;
  /** Goes up by one with every change of its policies (what updateRolePolicies' expectedVersion compares). */
  readonly version: number;
  readonly policies: readonly Policy[];
};

export type RolePage = Page<RoleView>;

/** The roles a user holds and the policies of those roles: everything a permission check needs. */
export type HeldRoles = { readonly roles: readonly string[]; readonly policies: readonly Policy[] };

/**
 * `roles` is scoped to what the caller may READ of ROLE (their `ReadScope`). Role names and the built-in flag are
 * not secret, so `roleByName`/`rolesNamed` are not scoped; `Role.policies` is guarded by its own @auth.
 */
export type AccessViews = {
  /** Unscoped, one query: how a request's permissions are loaded. */
  heldRoles(userId: string): Promise<HeldRoles>;
  /** By name; keyset-paged; invalid page arguments are InvalidInput errors. */
  roles(args: PageArgs): Promise<RolePage>;
  roleByName(name: string): Promise<RoleView | null>;
  /** The named roles that exist, in name order (batched per request: `User.roles` of many users is one query). */
  rolesNamed(names: readonly string[]): Promise<RoleView[]>;
};

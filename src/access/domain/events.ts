import type { Policy } from '../../core/access.ts';

export type RoleCreated = { readonly type: 'RoleCreated'; readonly name: string; readonly policies: readonly Policy[] };
export type RolePoliciesUpdated = {
  readonly type: 'RolePoliciesUpdated';
  readonly name: string;
  readonly policies: readonly Policy[];
};
/** Everyone who held the role has lost it with it (no RoleRevoked per holder). */
export type RoleDeleted = { readonly type: 'RoleDeleted'; readonly name: string };
export type RoleGranted = { readonly type: 'RoleGranted'; readonly userId: string; readonly role: string };
export type RoleRevoked = { readonly type: 'RoleRevoked'; readonly userId: string; readonly role: string };

export type AccessEvent = RoleCreated | RolePoliciesUpdated | RoleDeleted | RoleGranted | RoleRevoked;

import type { Policy, ResourceCatalog } from '../../core/access.ts';
import type { PolicyDraft } from './commands.ts';
import { builtInRole } from './errors.ts';
import type { AccessEvent } from './events.ts';
import { parsePolicies, roleName } from './policies.ts';

/** Holds every permission; its policies stay as they are so that no change can lock every administrator out. */
export const ADMIN_ROLE = 'admin';

/**
 * The role aggregate. `version` is the one it was loaded at (0 when new); repositories bump it per save.
 * `deleted` asks the repository to remove it (and, by the foreign key, every grant of it).
 */
export type Role = {
  readonly name: string;
  readonly policies: readonly Policy[];
  /** Seeded by migration (admin, member); never created through the domain. */
  readonly builtIn: boolean;
  readonly version: number;
  readonly deleted: boolean;
  readonly events: readonly AccessEvent[];
};

export const createRole = (
  input: { readonly name: string; readonly policies: readonly PolicyDraft[] },
  resources: ResourceCatalog,
): Role => {
  const name = roleName(input.name);
  const policies = parsePolicies(input.policies, resources);
  const events: AccessEvent[] = [{ type: 'RoleCreated', name, policies }];
  return { name, policies, builtIn: false, version: 0, deleted: false, events };
};

// Policies are plain JSON data, so their serialisations are equal exactly when they are.
const samePolicies = (left: readonly Policy[], right: readonly Policy[]): boolean =>
  JSON.stringify(left) === JSON.stringify(right);

/** Replaces every policy; the same role (no event) when nothing changes, so a repeated request writes nothing. */
export const replacePolicies = (role: Role, drafts: readonly PolicyDraft[], resources: ResourceCatalog): Role => {
  if (role.builtIn && role.name === ADMIN_ROLE) throw builtInRole(role.name, 'changed');
  const policies = parsePolicies(drafts, resources);
  if (samePolicies(role.policies, policies)) return role;
  return {
    ...role,
    policies,
    events: [...role.events, { type: 'RolePoliciesUpdated', name: role.name, policies }],
  };
};

/** Built-in roles are what sign-up and the bootstrap administrator rely on. */
export const ensureDeletable = (role: Role): void => {
  if (role.builtIn) throw builtInRole(role.name, 'deleted');
};

export const deleteRole = (role: Role): Role => {
  ensureDeletable(role);
  return { ...role, deleted: true, events: [...role.events, { type: 'RoleDeleted', name: role.name }] };
};

import type { CreateRole, DeleteRole, GrantRole, RevokeRole, UpdateRolePolicies } from '../domain/commands.ts';
import { roleExists, roleNotFound, userNotFound } from '../domain/errors.ts';
import * as model from '../domain/model.ts';
import { isUuid } from '../domain/policies.ts';
import { expectVersion } from '../../core/versions.ts';
import type { AccessDependencies, AccessRepositories } from './ports.ts';

// READ COMMITTED is enough everywhere: every write is guarded by the database itself. A role's save checks its
// version; a role name and a (user, role) grant are primary keys; a grant references both the user and the role.
// The loser of any race fails its statement, the unit of work retries it, and the retry decides on what won.

export type RoleResult = { readonly name: string };
export type DeleteRoleResult = { readonly name: string };
export type RoleGrantResult = { readonly userId: string; readonly role: string };

export const createRole = async (command: CreateRole, { uow, resources }: AccessDependencies): Promise<RoleResult> => {
  // Checked before the transaction: bad input is reported whether or not the name is taken.
  const role = model.createRole(command, resources);
  return uow.transaction('READ COMMITTED', async ({ roles }) => {
    if (await roles.get(role.name)) throw roleExists(role.name);
    await roles.save(role);
    return { name: role.name };
  });
};

export const updateRolePolicies = async (
  command: UpdateRolePolicies,
  { uow, resources }: AccessDependencies,
): Promise<RoleResult> =>
  uow.transaction('READ COMMITTED', async ({ roles }) => {
    const role = await roles.get(command.name);
    if (!role) throw roleNotFound(command.name, 'input.name');
    expectVersion('role', role.version, command.expectedVersion);
    const updated = model.replacePolicies(role, command.policies, resources);
    if (updated !== role) await roles.save(updated);
    return { name: role.name };
  });

export const deleteRole = async (command: DeleteRole, { uow }: AccessDependencies): Promise<DeleteRoleResult> =>
  uow.transaction('READ COMMITTED', async ({ roles }) => {
    const role = await roles.get(command.name);
    if (!role) throw roleNotFound(command.name, 'input.name');
    await roles.save(model.deleteRole(role));
    return { name: role.name };
  });

/** Loads the user and makes sure the role exists, then applies `change` and saves only what changed. */
const changeGrant = async (
  { userId, role }: { readonly userId: string; readonly role: string },
  change: (holder: model.RoleHolder, role: string) => model.RoleHolder,
  { roles, grants }: AccessRepositories,
): Promise<RoleGrantResult> => {
  const holder = isUuid(userId) ? await grants.holderOf(userId) : null;
  if (!holder) throw userNotFound();
  if (!(await roles.get(role))) throw roleNotFound(role, 'input.role');
  const changed = change(holder, role);
  if (changed !== holder) await grants.save(changed);
  return { userId, role };
};

export const grantRole = async (command: GrantRole, { uow }: AccessDependencies): Promise<RoleGrantResult> =>
  uow.transaction('READ COMMITTED', (repositories) => changeGrant(command, model.grant, repositories));

/** Never the admin role of its last holder (model.ensureAnAdministratorRemains), decided in the same transaction. */
export const revokeRole = async (command: RevokeRole, { uow }: AccessDependencies): Promise<RoleGrantResult> =>
  uow.transaction('READ COMMITTED', async (repositories) => {
    if (model.isAdministration(command.role)) {
      model.ensureAnAdministratorRemains(command.userId, await repositories.grants.lockHoldersOf(command.role));
    }
    return changeGrant(command, model.revoke, repositories);
  });

export const accessCommandHandlers = {
  CreateRole: createRole,
  UpdateRolePolicies: updateRolePolicies,
  DeleteRole: deleteRole,
  GrantRole: grantRole,
  RevokeRole: revokeRole,
};

/**
 * No subscribers of the handlers' own. The API process's cache of permissions (adapters/permissions-cache.ts)
 * subscribes to these events in module.ts, to drop what a change made stale as soon as it commits.
 */
export const accessEventHandlers = {};

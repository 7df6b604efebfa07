/**
 * The access context as the shell sees it (listed in src/contexts.ts): roles, their policies and who holds them,
 * and the permissions every request is authorised with.
 */
import { permissionsFrom, readEverything, type ReadScope } from '../core/access.ts';
import { bindCommandHandlers, bindEventHandlers, mergeEventRoutes } from '../core/bus.ts';
import type { UnitOfWork } from '../core/ports.ts';
import type { ContextShell, Module } from '../platform/context-module.ts';
import type { RepositoryFactory } from '../platform/database/unit-of-work.ts';
import { createPermissionsCache, forgetOnCommit } from './adapters/permissions-cache.ts';
import { createAccessViews } from './adapters/slonik-access-views.ts';
import { createRoleGrantRepository } from './adapters/slonik-role-grant-repository.ts';
import { createRoleRepository } from './adapters/slonik-role-repository.ts';
import { accessResolvers, accessResources } from './entrypoints/resolvers.ts';
import { accessCommandHandlers, accessEventHandlers } from './services/handlers.ts';
import type { AccessDependencies, AccessRepositories } from './services/ports.ts';
import type { AccessViews } from './services/views.ts';

// Codegen mappers: the TypeScript shape each GraphQL type of access resolves from (scripts/codegen/context-resolvers.ts).
export type { RoleView as RoleMapper, RolePage as RoleConnectionMapper } from './services/views.ts';
export type {
  RoleResult as RolePayloadMapper,
  DeleteRoleResult as DeleteRolePayloadMapper,
} from './services/handlers.ts';
export type { RoleGrantResult as RoleGrantPayloadMapper } from './services/handlers.ts';

/** Tests replace what they isolate: the unit of work (a fake store) and the views. */
export type AccessOverrides = {
  readonly unitOfWork?: () => UnitOfWork<AccessRepositories>;
  readonly views?: (readScope: ReadScope) => AccessViews;
};

const repositories: RepositoryFactory<AccessRepositories> = (connection, events) => ({
  roles: createRoleRepository(connection, events),
  grants: createRoleGrantRepository(connection, events),
});

const wire = (shell: ContextShell, overrides: AccessOverrides = {}) => {
  const unitOfWork = overrides.unitOfWork ?? (() => shell.unitOfWork(repositories));
  const dependencies = (): AccessDependencies => ({
    uow: unitOfWork(),
    clock: shell.clock,
    resources: shell.resources,
  });
  const views =
    overrides.views ?? ((readScope: ReadScope) => createAccessViews(shell.database(), readScope, shell.resources));
  // One query: the roles the user holds and their policies.
  const loadPermissions = async (userId: string) => {
    const held = await views(readEverything).heldRoles(userId);
    return permissionsFrom(userId, held.roles, held.policies);
  };
  // Cached only where this process hears what other instances change (the API process); elsewhere every request
  // loads them (docs/decisions/0010-permissions-cached-per-process.md).
  const { channels, logger } = shell;
  const cache = channels ? createPermissionsCache(loadPermissions, channels) : null;
  const everyInstanceHeard = async () => {
    if (await channels?.waitUntilHeard()) return;
    logger.warn({}, 'a change of roles committed before every instance confirmed it; some may apply it late');
  };
  const events = bindEventHandlers(accessEventHandlers, dependencies);
  return {
    commands: bindCommandHandlers(accessCommandHandlers, dependencies),
    events: cache ? mergeEventRoutes(events, forgetOnCommit(cache, everyInstanceHeard)) : events,
    views,
    permissionsOf: cache ? (userId: string) => cache.permissionsOf(userId) : loadPermissions,
  };
};

export const access: Module<'access', typeof wire> = {
  name: 'access',
  resources: accessResources,
  resolvers: accessResolvers,
  wire,
};

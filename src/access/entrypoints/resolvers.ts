import { fromGlobalId } from 'graphql-relay';
import { EVERY, OWNER, type Policy } from '../../core/access.ts';
import { toGlobalId } from '../../core/global-id.ts';
import type { GraphQLContext, PolicyInput, Resolvers, Resource } from '../../generated/graphql.ts';
import type { ResourceDeclaration } from '../../platform/context-module.ts';
import type { PolicyDraft } from '../domain/commands.ts';
import { invalidPolicy, roleNotFound, userNotFound } from '../domain/errors.ts';
import { isRoleName } from '../domain/policies.ts';

/**
 * Thin: each mutation is one command, each payload reads back through a view. No authorization here: @auth in the
 * SDL decides before a resolver runs. The one translation is ids: clients name users by global id, the domain and
 * the database by UUID, so USER selectors and `userId` are converted on the way in and USER selectors on the way out.
 */

const isInstanceKey = (selector: string): boolean => selector !== EVERY && selector !== OWNER;

/**
 * The UUID inside a User global id, lower-cased as Postgres prints it (so a policy's key compares equal to the key
 * @auth reads from an argument); null for anything else (malformed, or another type's id).
 */
const userUuid = (globalId: string): string | null => {
  const { type, id } = fromGlobalId(globalId);
  return type === 'User' && id !== '' ? id.toLowerCase() : null;
};

const policyDrafts = (policies: readonly PolicyInput[]): PolicyDraft[] =>
  policies.map((policy, index) => {
    if (policy.resource !== 'USER') return policy;
    const selectors = policy.selectors.map((selector, position) => {
      if (!isInstanceKey(selector)) return selector;
      const uuid = userUuid(selector);
      // The domain checks the UUID itself; this only refuses what is not a User id at all, with the same path.
      if (uuid === null) {
        const field = `input.policies[${index}].selectors[${position}]`;
        throw invalidPolicy(field, 'A USER selector is "*", "OWNER" or a User id');
      }
      return uuid;
    });
    return { ...policy, selectors };
  });

const policyOutput = (policy: Policy) => ({
  // The views show only resources some context declares, and start-up checks that the SDL's enum lists exactly those.
  resource: policy.resource as Resource,
  actions: [...policy.actions],
  selectors: policy.selectors.map((selector) =>
    policy.resource === 'USER' && isInstanceKey(selector) ? toGlobalId('User', selector) : selector,
  ),
});

/** A malformed user id names nobody, exactly like an unknown one. */
const userIdOf = (globalId: string): string => {
  const uuid = userUuid(globalId);
  if (uuid === null) throw userNotFound();
  return uuid;
};

/** A role just written by this request's command; gone only if a concurrent delete won, which is worth an error. */
const mustExist = async <T>(row: Promise<T | null>, name: string): Promise<T> => {
  const found = await row;
  if (found === null) throw new Error(`Role ${name} was deleted while it was being read`);
  return found;
};

export const accessResolvers: Resolvers = {
  Query: {
    roles: (_parent, page, { views }) => views.access.roles(page),
  },

  Mutation: {
    createRole: (_parent, { input }, { bus }) =>
      bus.execute({ type: 'CreateRole', name: input.name, policies: policyDrafts(input.policies) }),
    updateRolePolicies: (_parent, { input }, { bus }) =>
      bus.execute({
        type: 'UpdateRolePolicies',
        name: input.name,
        policies: policyDrafts(input.policies),
        expectedVersion: input.expectedVersion ?? null,
      }),
    deleteRole: (_parent, { input }, { bus }) => bus.execute({ type: 'DeleteRole', name: input.name }),
    grantRole: (_parent, { input }, { bus }) =>
      bus.execute({ type: 'GrantRole', userId: userIdOf(input.userId), role: input.role }),
    revokeRole: (_parent, { input }, { bus }) =>
      bus.execute({ type: 'RevokeRole', userId: userIdOf(input.userId), role: input.role }),
  },

  Role: {
    policies: ({ policies }) => policies.map(policyOutput),
  },

  RolePayload: {
    role: ({ name }, _args, { views }) => mustExist(views.access.roleByName(name), name),
  },

  RoleGrantPayload: {
    role: ({ role }, _args, { views }) => mustExist(views.access.roleByName(role), role),
    // Scoped: null when the caller may not read this user.
    user: ({ userId }, _args, { views }) => views.identity.userById(userId),
  },

  RoleConnection: { totalCount: (page) => page.totalCount() },
};

/**
 * The resource access owns: ROLE, keyed by name. A role exists when stored, and the caller owns it when they hold
 * it. A denial for a caller who may not read the role is the handlers' own RoleNotFound, for the same argument.
 */
export const accessResources: Readonly<Record<'ROLE', ResourceDeclaration>> = {
  ROLE: {
    key: { valid: isRoleName, is: 'a role name' },
    subject: {
      notFound: roleNotFound,
      ownership: async (name, context: GraphQLContext) => ({
        exists: (await context.views.access.roleByName(name)) !== null,
        owned: (await context.access.permissions()).roles.has(name),
      }),
    },
  },
};

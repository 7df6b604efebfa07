import { fromGlobalId } from 'graphql-relay';
import { toGlobalId } from '../../core/global-id.ts';
import type { GraphQLContext, Resolvers } from '../../generated/graphql.ts';
import type { ResourceDeclaration } from '../../platform/context-module.ts';
import type { EntityResolvers, NodeFetchers } from '../../platform/graphql/context.ts';
import { isUserId } from '../domain/user.ts';

/**
 * Thin: each mutation is one command; the payload's user is read back through the identity view. The
 * authentication mutations first pass the rate limit (per account and per address; refreshSession and
 * resetPassword name no account, their tokens are unguessable, so only the address counts; changePassword's account
 * is the caller's id).
 *
 * Who may read which user is decided by @auth and the views' read scope, never here. `viewer` and the sign-in
 * payload's user are the caller's own account (the payload's is the person who just proved their password), which
 * everyone may read, so they use the unscoped `signedInUser`.
 */
export const identityResolvers: Resolvers = {
  Query: {
    viewer: (_parent, _args, { viewer, views }) => (viewer ? views.identity.signedInUser(viewer.userId) : null),
    users: (_parent, page, { views }) => views.identity.users(page),
  },

  Mutation: {
    signUp: async (_parent, { input }, { bus, rateLimit }) => {
      await rateLimit.authAttempt({ account: input.email });
      return bus.execute({ type: 'SignUp', email: input.email, password: input.password, name: input.name });
    },
    logIn: async (_parent, { input }, { bus, rateLimit }) => {
      await rateLimit.authAttempt({ account: input.email });
      return bus.execute({ type: 'LogIn', email: input.email, password: input.password });
    },
    refreshSession: async (_parent, { input }, { bus, rateLimit }) => {
      await rateLimit.authAttempt({});
      return bus.execute({ type: 'RefreshSession', refreshToken: input.refreshToken });
    },
    logOut: (_parent, { input }, { bus }) => bus.execute({ type: 'LogOut', refreshToken: input.refreshToken }),
    requestPasswordReset: async (_parent, { input }, { bus, rateLimit }) => {
      await rateLimit.authAttempt({ account: input.email });
      return bus.execute({ type: 'RequestPasswordReset', email: input.email });
    },
    resetPassword: async (_parent, { input }, { bus, rateLimit }) => {
      await rateLimit.authAttempt({});
      return bus.execute({ type: 'ResetPassword', token: input.token, newPassword: input.newPassword });
    },
    changePassword: async (_parent, { input }, { bus, rateLimit, viewer }) => {
      // @auth lets only signed-in callers through; the account is the caller's own, by id.
      if (!viewer) throw new Error('changePassword reached without a signed-in caller');
      await rateLimit.authAttempt({ account: viewer.userId });
      const { currentPassword, newPassword } = input;
      return bus.execute({ type: 'ChangePassword', userId: viewer.userId, currentPassword, newPassword });
    },
  },

  AuthPayload: {
    user: async ({ userId }, _args, { views }) => {
      const user = await views.identity.signedInUser(userId);
      if (!user) throw new Error(`User ${userId} vanished right after signing in`);
      return user;
    },
  },

  User: {
    id: ({ id }) => toGlobalId('User', id),
    roles: ({ roles }, _args, { views }) => views.access.rolesNamed(roles),
  },

  UserConnection: { totalCount: (page) => page.totalCount() },
};

/** `node(id:)` refetches users by the UUID inside their global id, scoped like every other read of a user. */
export const identityNodes: NodeFetchers = {
  User: { fetch: (id, { views }: GraphQLContext) => views.identity.userById(id) },
};

/** The UUID inside a User's global id, lower-cased as Postgres prints it; null for any other id. */
const userIdOf = (globalId: string): string | null => {
  const { type, id } = fromGlobalId(globalId);
  return type === 'User' && isUserId(id) ? id.toLowerCase() : null;
};

/**
 * A supergraph router's references to users, by the same global id clients see (`User.id`), read in one statement
 * through the scoped view behind `node(id:)`: a user the caller may not read is null, as there.
 */
export const identityEntities: EntityResolvers = {
  User: {
    key: 'id',
    resolve: async (globalIds, { views }: GraphQLContext) => {
      const ids = globalIds.map(userIdOf);
      const users = await views.identity.usersById(ids.filter((id) => id !== null));
      const byId = new Map(users.filter((user) => user !== null).map((user) => [user.id, user]));
      return ids.map((id) => (id === null ? null : (byId.get(id) ?? null)));
    },
  },
};

/**
 * The resource identity owns: USER, keyed by the account's UUID. A user owns their own account and nothing else of
 * USER. Keys are lower-cased, as Postgres prints uuids, so a hand-written global id with upper-case hex still names
 * its owner.
 */
export const identityResources: Readonly<Record<'USER', ResourceDeclaration>> = {
  USER: {
    key: { valid: isUserId, is: 'a User id' },
    subject: {
      keyFromArgument: userIdOf,
      ownership: async (id, { views, access }: GraphQLContext) => ({
        exists: await views.identity.userExists(id),
        owned: id === access.principal,
      }),
    },
  },
};

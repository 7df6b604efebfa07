import { toGlobalId } from 'graphql-relay';
import type { Resolvers } from '../../generated/graphql.ts';
import type { NodeFetchers } from '../../platform/graphql/context.ts';

/**
 * Thin: each mutation is one command; the payload's user is read back through the identity view. The
 * authentication mutations first pass the rate limit (per account and per address; refreshSession names no
 * account, its token is unguessable, so only the address counts).
 */
export const identityResolvers: Resolvers = {
  Query: {
    viewer: (_parent, _args, { viewer, views }) => (viewer ? views.identity.userById(viewer.userId) : null),
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
  },

  AuthPayload: {
    user: async ({ userId }, _args, { views }) => {
      const user = await views.identity.userById(userId);
      if (!user) throw new Error(`User ${userId} vanished right after signing in`);
      return user;
    },
  },

  User: {
    id: ({ id }) => toGlobalId('User', id),
    roles: ({ roles }) => roles.map((name) => ({ name })),
  },
};

/** `node(id:)` refetches users by the UUID inside their global id. */
export const identityNodes: NodeFetchers = {
  User: (id, { views }) => views.identity.userById(id),
};

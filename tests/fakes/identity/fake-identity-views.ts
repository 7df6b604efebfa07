import { readEverything, type ReadScope, type Scope } from '../../../src/core/access.ts';
import { connectionFromSortedArray, pageRequest } from '../../../src/core/pagination.ts';
import type { User } from '../../../src/identity/domain/user.ts';
import type { IdentityViews, UserView } from '../../../src/identity/services/views.ts';
import type { FakeIdentityStore } from './fake-identity-store.ts';

const view = ({ id, email, name, roles, createdAt }: User): UserView => ({
  id,
  email,
  name,
  roles: [...roles].sort(),
  createdAt,
});

/** The same rule as the slonik views' WHERE clause: a user owns their own account. */
const selects = (scope: Scope, id: string): boolean => scope.every || scope.keys.includes(id) || scope.ownerId === id;

/**
 * The identity read side over the fake store's committed users, scoped by `readScope` like the slonik views
 * (USER), paged by the same core paging and cursor shape ([email, id], connection 'users').
 */
export const createFakeIdentityViews = (
  store: FakeIdentityStore,
  readScope: ReadScope = readEverything,
): IdentityViews => {
  const committed = (id: string): UserView | null => {
    const user = store.users.get(id);
    return user ? view(user) : null;
  };
  return {
    userById: async (id) => {
      const scope = await readScope('USER');
      return selects(scope, id) ? committed(id) : null;
    },
    usersById: async (ids) => {
      const scope = await readScope('USER');
      return ids.map((id) => (selects(scope, id) ? committed(id) : null));
    },
    signedInUser: async (id) => committed(id),
    userExists: async (id) => store.users.has(id),
    users: async (args) => {
      const request = pageRequest('users', args, 2);
      const scope = await readScope('USER');
      const visible = [...store.users.values()].filter((user) => selects(scope, user.id)).map(view);
      return {
        ...connectionFromSortedArray(visible, request, (user) => [user.email, user.id]),
        totalCount: async () => visible.length,
      };
    },
  };
};

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

/** Ids are uuids, which Postgres compares whatever their letters' case: `ADA-ID` and `ada-id` are one user. */
const uuidKey = (id: string): string => id.toLowerCase();

/** The same rule as the slonik views' WHERE clause: a user owns their own account. */
const selects = (scope: Scope, id: string): boolean =>
  scope.every ||
  scope.keys.some((key) => uuidKey(key) === uuidKey(id)) ||
  (scope.ownerId !== null && uuidKey(scope.ownerId) === uuidKey(id));

/**
 * The identity read side over the fake store's committed users, scoped by `readScope` like the slonik views
 * (USER), paged by the same core paging and cursor shape ([email, id], connection 'users').
 */
export const createFakeIdentityViews = (
  store: FakeIdentityStore,
  readScope: ReadScope = readEverything,
): IdentityViews => {
  const committed = (id: string): UserView | null => {
    const user = store.users.get(uuidKey(id));
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
    userExists: async (id) => store.users.has(uuidKey(id)),
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

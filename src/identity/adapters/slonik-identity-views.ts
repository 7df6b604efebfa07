import { sql, type CommonQueryMethods, type FragmentSqlToken } from 'slonik';
import { z } from 'zod';
import type { ReadScope, Scope } from '../../core/access.ts';
import { connectionFromRows, pageRequest } from '../../core/pagination.ts';
import { keysetPage } from '../../platform/database/keyset.ts';
import { scopeCondition } from '../../platform/database/scope-sql.ts';
import type { IdentityViews, UserView } from '../services/views.ts';
import { isUuid, userViewRow } from './rows.ts';

const EMAIL = sql.identifier(['users', 'email']);
const ID = sql.identifier(['users', 'id']);

const count = z.object({ count: z.number() });
const exists = z.object({ exists: z.boolean() });

/**
 * The users a scope selects: a user owns their own account, so OWNER is "the caller's id". Keys come from role
 * policies and may be anything an administrator typed: those that are not uuids name nobody.
 */
const scopeOfUsers = (scope: Scope): FragmentSqlToken =>
  scopeCondition(scope, {
    key: ID,
    ownedBy: (ownerId) => (isUuid(ownerId) ? sql.fragment`${ID} = ${ownerId}` : sql.fragment`FALSE`),
    isKey: isUuid,
    keyType: 'uuid',
  }) ?? sql.fragment`TRUE`;

/**
 * Users matching `where`, each with its roles, in one round trip: the page is cut in a subquery (so LIMIT counts
 * users, not user-role pairs), then joined with the roles, one row per role (`role` null for a user without any).
 */
const usersWithRoles = (where: FragmentSqlToken, orderBy: FragmentSqlToken, limit: number) => sql.type(userViewRow)`
  SELECT users.id, users.email, users.name, users.created_at AS "createdAt", user_roles.role
  FROM (SELECT id, email, name, created_at FROM users WHERE ${where} ORDER BY ${orderBy} LIMIT ${limit}) AS users
  LEFT JOIN user_roles ON user_roles.user_id = users.id
  ORDER BY ${orderBy}, user_roles.role`;

/** Folds the joined rows back into users, keeping the query's order. */
const foldUsers = (rows: readonly z.infer<typeof userViewRow>[]): UserView[] => {
  const users = new Map<string, UserView & { roles: string[] }>();
  for (const { role, ...user } of rows) {
    const folded = users.get(user.id) ?? { ...user, roles: [] };
    if (role !== null) folded.roles.push(role);
    users.set(user.id, folded);
  }
  return [...users.values()];
};

/**
 * `readScope` is the caller's (bootstrap makes one set of views per request); it is asked on every scoped read,
 * and loads the caller's permissions at most once per request.
 */
export const createIdentityViews = (db: CommonQueryMethods, readScope: ReadScope): IdentityViews => {
  const oneUser = async (id: string, scope: FragmentSqlToken): Promise<UserView | null> => {
    // Ids arrive from clients: one that is not a uuid names nobody (Postgres would reject it as a syntax error).
    if (!isUuid(id)) return null;
    const rows = await db.any(usersWithRoles(sql.fragment`${ID} = ${id} AND ${scope}`, sql.fragment`${ID}`, 1));
    return foldUsers(rows)[0] ?? null;
  };

  return {
    userById: async (id) => oneUser(id, scopeOfUsers(await readScope('USER'))),

    usersById: async (ids) => {
      // As for one id: those that are not uuids name nobody, and are never sent.
      const wanted = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
      if (wanted.length === 0) return ids.map(() => null);
      const scope = scopeOfUsers(await readScope('USER'));
      const idIn = sql.fragment`${ID} = ANY(${sql.array(wanted, 'uuid')})`;
      const users = foldUsers(
        await db.any(usersWithRoles(sql.fragment`${idIn} AND ${scope}`, sql.fragment`${ID}`, wanted.length)),
      );
      const byId = new Map(users.map((user) => [user.id, user]));
      return ids.map((id) => byId.get(id.toLowerCase()) ?? null);
    },

    signedInUser: (id) => oneUser(id, sql.fragment`TRUE`),

    userExists: async (id) =>
      isUuid(id) && db.oneFirst(sql.type(exists)`SELECT EXISTS (SELECT 1 FROM users WHERE ${ID} = ${id}) AS exists`),

    users: async (args) => {
      const request = pageRequest('users', args, 2);
      const scope = scopeOfUsers(await readScope('USER'));
      // Emails are unique, so the id only breaks ties in principle; the keyset helper wants one all the same.
      const page = keysetPage({ key: { column: EMAIL, direction: 'ASC' }, tieBreaker: ID, request });
      const rows = await db.any(usersWithRoles(sql.fragment`${scope} AND ${page.where}`, page.orderBy, page.limit));
      return {
        ...connectionFromRows(foldUsers(rows), request, (user) => [user.email, user.id]),
        totalCount: () => db.oneFirst(sql.type(count)`SELECT count(*) AS count FROM users WHERE ${scope}`),
      };
    },
  };
};

import DataLoader from 'dataloader';
import { sql, type CommonQueryMethods, type FragmentSqlToken } from 'slonik';
import { z } from 'zod';
import type { Policy, ReadScope, ResourceCatalog } from '../../core/access.ts';
import { connectionFromRows, pageRequest } from '../../core/pagination.ts';
import { keysetPage } from '../../platform/database/keyset.ts';
import { scopeCondition } from '../../platform/database/scope-sql.ts';
import type { AccessViews, RoleView } from '../services/views.ts';
import { isUuid, policyJson } from './rows.ts';

const roleViewRow = z.object({
  name: z.string(),
  builtIn: z.boolean(),
  version: z.number().int(),
  policies: z.array(policyJson),
});
const roleViewColumns = sql.fragment`roles.name, roles.built_in AS "builtIn", roles.version, roles.policies`;
const heldRoleRow = z.object({ name: z.string(), policies: z.array(policyJson) });
const count = z.object({ count: z.number() });

const NAME = sql.identifier(['roles', 'name']);
// The name is unique, so it is its own tie-breaker: cursors are [name, name], the keyset helper's arity.
const roleKey = (role: RoleView) => [role.name, role.name];

/**
 * The roles the caller may READ, as SQL (every role, none, or those named or held): lists and their totalCount
 * are filtered in the database, never after loading. Holding a role is what owning it means (ROLE's OWNER).
 */
const readableRoles = async (readScope: ReadScope): Promise<FragmentSqlToken> =>
  scopeCondition(await readScope('ROLE'), {
    key: NAME,
    ownedBy: (ownerId) =>
      isUuid(ownerId)
        ? sql.fragment`${NAME} IN (SELECT role FROM user_roles WHERE user_id = ${ownerId})`
        : sql.fragment`FALSE`,
  }) ?? sql.fragment`TRUE`;

/**
 * Views over one request: each request gets its own instance (see bootstrap), so the loader's batching never
 * mixes requests. It does not cache: a mutation followed by a read in the same request must see the write.
 */
export const createAccessViews = (
  db: CommonQueryMethods,
  readScope: ReadScope,
  resources: ResourceCatalog,
): AccessViews => {
  // A context taken out of src/contexts.ts leaves its grants in stored roles: they name nothing any more.
  const known = (policies: readonly Policy[]): Policy[] => policies.filter(({ resource }) => resources.has(resource));
  const view = <Row extends { readonly policies: readonly Policy[] }>(row: Row): Row => ({
    ...row,
    policies: known(row.policies),
  });
  const rolesByName = new DataLoader<string, RoleView | null>(
    async (names) => {
      const rows = await db.any(sql.type(roleViewRow)`
        SELECT ${roleViewColumns} FROM roles WHERE ${NAME} IN (${sql.join(names, sql.fragment`, `)})`);
      const byName = new Map(rows.map((row) => [row.name, view(row)]));
      return names.map((name) => byName.get(name) ?? null);
    },
    { cache: false },
  );

  return {
    async heldRoles(userId) {
      if (!isUuid(userId)) return { roles: [], policies: [] };
      const rows = await db.any(sql.type(heldRoleRow)`
        SELECT roles.name, roles.policies
        FROM user_roles JOIN roles ON roles.name = user_roles.role
        WHERE user_roles.user_id = ${userId}
        ORDER BY roles.name`);
      return { roles: rows.map((row) => row.name), policies: known(rows.flatMap((row) => row.policies)) };
    },

    async roles(args) {
      const request = pageRequest('roles', args, 2);
      const scope = await readableRoles(readScope);
      const page = keysetPage({ key: { column: NAME, direction: 'ASC' }, tieBreaker: NAME, request });
      const rows = await db.any(sql.type(roleViewRow)`
        SELECT ${roleViewColumns} FROM roles
        WHERE ${scope} AND ${page.where}
        ORDER BY ${page.orderBy} LIMIT ${page.limit}`);
      return {
        ...connectionFromRows(rows.map(view), request, roleKey),
        totalCount: () => db.oneFirst(sql.type(count)`SELECT count(*) AS count FROM roles WHERE ${scope}`),
      };
    },

    roleByName: (name) => rolesByName.load(name),

    async rolesNamed(names) {
      if (names.length === 0) return [];
      const found = await rolesByName.loadMany([...new Set(names)]);
      // loadMany reports a failed batch per key instead of rejecting: never let it pass as "no such role".
      const failure = found.find((role) => role instanceof Error);
      if (failure) throw failure;
      return found
        .filter((role): role is RoleView => role !== null && !(role instanceof Error))
        .sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
    },
  };
};

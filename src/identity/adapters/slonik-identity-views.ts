import { sql, type CommonQueryMethods } from 'slonik';
import type { IdentityViews } from '../services/views.ts';
import { foldRoles, isUuid, selectUsersWithRoles } from './rows.ts';

export const createIdentityViews = (db: CommonQueryMethods): IdentityViews => ({
  async userById(id) {
    // Ids arrive from clients: one that is not a uuid names nobody (Postgres would reject it as a syntax error).
    if (!isUuid(id)) return null;
    const user = foldRoles(await db.any(selectUsersWithRoles(sql.fragment`users.id = ${id}`)));
    return user && { id: user.id, email: user.email, name: user.name, roles: user.roles, createdAt: user.createdAt };
  },
});

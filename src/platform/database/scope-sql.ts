import { sql, type FragmentSqlToken, type IdentifierSqlToken } from 'slonik';
import type { Scope } from '../../core/access.ts';

/**
 * A caller's read scope of one resource as a WHERE condition, so a view returns only readable rows and counts and
 * pages only those (filtering after the query would break totalCount and cursors). Every view of every context
 * scopes its rows with this; each says what its instance key is and what owning an instance means.
 *
 * - `key`: the column holding the instance key (a SKU, a user id...);
 * - `ownedBy(ownerId)`: the condition for the rows that user owns;
 * - `isKey`: keys a policy may hold that can never name a row of this column (a uuid column cannot even compare
 *   with "lamp"): dropped here rather than sent to Postgres, which would refuse the statement;
 * - `keyType`: the column's type, for the array the keys are sent as (`= ANY($1::text[])`: one parameter however
 *   many keys, so one prepared statement).
 *
 * Null when the scope selects every row: no condition at all (join it with `allOf`). An empty scope is `FALSE`,
 * decided here without asking Postgres.
 */
export const scopeCondition = (
  scope: Scope,
  rows: {
    readonly key: IdentifierSqlToken;
    readonly ownedBy: (ownerId: string) => FragmentSqlToken;
    readonly isKey?: (key: string) => boolean;
    readonly keyType?: 'text' | 'uuid';
  },
): FragmentSqlToken | null => {
  if (scope.every) return null;
  const keys = rows.isKey ? scope.keys.filter(rows.isKey) : scope.keys;
  const parts: FragmentSqlToken[] = [];
  if (keys.length > 0) parts.push(sql.fragment`${rows.key} = ANY(${sql.array(keys, rows.keyType ?? 'text')})`);
  if (scope.ownerId !== null) parts.push(rows.ownedBy(scope.ownerId));
  return parts.length === 0 ? sql.fragment`FALSE` : sql.fragment`(${sql.join(parts, sql.fragment` OR `)})`;
};

/** Conditions joined with AND, leaving out the absent ones (`TRUE` only when none is left). */
export const allOf = (...conditions: ReadonlyArray<FragmentSqlToken | null>): FragmentSqlToken => {
  const present = conditions.filter((condition) => condition !== null);
  return present.length === 0 ? sql.fragment`TRUE` : sql.fragment`${sql.join(present, sql.fragment` AND `)}`;
};

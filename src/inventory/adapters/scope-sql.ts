import { sql, type FragmentSqlToken, type IdentifierSqlToken } from 'slonik';
import type { Scope } from '../../core/access.ts';

/**
 * A caller's read scope as a WHERE condition, so a view returns only readable rows and counts and pages only
 * those (filtering after the query would break totalCount and cursors). Null when the scope selects every row:
 * no condition at all, rather than a `TRUE` that pg-mem cannot plan next to an indexed lookup on a join ("lookups
 * on joins"). Keys are matched with `IN (...)`, not `= ANY(array)`, which pg-mem gets wrong; an empty scope is
 * `FALSE`, never an empty `IN ()` (a syntax error).
 */
const scopeCondition = (
  scope: Scope,
  key: IdentifierSqlToken,
  ownedBy: (ownerId: string) => FragmentSqlToken,
): FragmentSqlToken | null => {
  if (scope.every) return null;
  const parts: FragmentSqlToken[] = [];
  if (scope.keys.length > 0) parts.push(sql.fragment`${key} IN (${sql.join(scope.keys, sql.fragment`, `)})`);
  if (scope.ownerId !== null) parts.push(ownedBy(scope.ownerId));
  return parts.length === 0 ? sql.fragment`FALSE` : sql.fragment`(${sql.join(parts, sql.fragment` OR `)})`;
};

/** Conditions joined with AND, leaving out the absent ones (`TRUE` only when none is left). */
export const allOf = (...conditions: ReadonlyArray<FragmentSqlToken | null>): FragmentSqlToken => {
  const present = conditions.filter((condition) => condition !== null);
  return present.length === 0 ? sql.fragment`TRUE` : sql.fragment`${sql.join(present, sql.fragment` AND `)}`;
};

/** The SKUs of the products `ownerId` owns: owning a product is owning its batches and its allocations. */
const ownedSkus = (ownerId: string) => sql.fragment`SELECT sku FROM products WHERE owner_id = ${ownerId}::uuid`;

/** Rows of `products` in a PRODUCT scope. */
export const productsInScope = (scope: Scope): FragmentSqlToken | null =>
  scopeCondition(
    scope,
    sql.identifier(['products', 'sku']),
    (ownerId) => sql.fragment`products.owner_id = ${ownerId}::uuid`,
  );

/** Rows of another table in a PRODUCT scope, through their SKU column (e.g. the allocations read model). */
export const skusInScope = (scope: Scope, skuColumn: IdentifierSqlToken): FragmentSqlToken | null =>
  scopeCondition(scope, skuColumn, (ownerId) => sql.fragment`${skuColumn} IN (${ownedSkus(ownerId)})`);

/** Rows of `batches` in a BATCH scope: keys are references; owned batches are those of owned products. */
export const batchesInScope = (scope: Scope): FragmentSqlToken | null =>
  scopeCondition(
    scope,
    sql.identifier(['batches', 'reference']),
    (ownerId) => sql.fragment`batches.sku IN (${ownedSkus(ownerId)})`,
  );

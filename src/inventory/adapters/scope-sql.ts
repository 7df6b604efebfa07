import { sql, type FragmentSqlToken, type IdentifierSqlToken } from 'slonik';
import type { Scope } from '../../core/access.ts';
import { scopeCondition } from '../../platform/database/scope-sql.ts';

/** The SKUs of the products `ownerId` owns: owning a product is owning its batches and its allocations. */
const ownedSkus = (ownerId: string) => sql.fragment`SELECT sku FROM products WHERE owner_id = ${ownerId}::uuid`;

/** Rows of `products` in a PRODUCT scope. */
export const productsInScope = (scope: Scope): FragmentSqlToken | null =>
  scopeCondition(scope, {
    key: sql.identifier(['products', 'sku']),
    ownedBy: (ownerId) => sql.fragment`products.owner_id = ${ownerId}::uuid`,
  });

/** Rows of another table in a PRODUCT scope, through their SKU column (e.g. the allocations read model). */
export const skusInScope = (scope: Scope, skuColumn: IdentifierSqlToken): FragmentSqlToken | null =>
  scopeCondition(scope, {
    key: skuColumn,
    ownedBy: (ownerId) => sql.fragment`${skuColumn} IN (${ownedSkus(ownerId)})`,
  });

/** Rows of `batches` in a BATCH scope: keys are references; owned batches are those of owned products. */
export const batchesInScope = (scope: Scope): FragmentSqlToken | null =>
  scopeCondition(scope, {
    key: sql.identifier(['batches', 'reference']),
    ownedBy: (ownerId) => sql.fragment`batches.sku IN (${ownedSkus(ownerId)})`,
  });

import { sql, type CommonQueryMethods, type FragmentSqlToken } from 'slonik';
import { z } from 'zod';
import { DomainError } from '../../core/errors.ts';
import { connectionFromRows, pageRequest, type CursorKey, type PageArgs } from '../../core/pagination.ts';
import { keysetPage } from '../../platform/database/keyset.ts';
import type { ProductOrder, ProductPage, ProductView } from '../services/views.ts';
import { productColumns, productRow } from './rows.ts';
import { allOf } from '../../platform/database/scope-sql.ts';
import { plannedColumns, type ProductPagePlan } from './planned-product-page.ts';

const sortColumn = { SKU: sql.identifier(['sku']), CREATED_AT: sql.identifier(['created_at']) } as const;
const productKey = (order: ProductOrder) => (product: ProductView) => [
  order.field === 'SKU' ? product.sku : product.createdAt.toISOString(),
  product.sku,
];

const count = z.object({ count: z.number() });

/**
 * Cursors are opaque but not signed: a forged one must fail as bad input, not reach Postgres as a timestamp it
 * cannot parse (which would be a 500).
 */
const ISO_MILLISECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const isTimestampKey = (value: unknown): boolean =>
  typeof value === 'string' && ISO_MILLISECONDS.test(value) && new Date(value).toISOString() === value;

const assertTimestampKeys = (keys: { after: CursorKey | null; before: CursorKey | null }): void => {
  for (const field of ['after', 'before'] as const) {
    const key = keys[field];
    if (key && !isTimestampKey(key[0])) {
      throw new DomainError('InvalidInput', 'InvalidCursor', `The ${field} cursor does not fit this list`, { field });
    }
  }
};

const plannedRow = productRow.extend(plannedColumns.shape);

/**
 * One keyset page of the products `inScope` selects (the caller's read scope). The count uses the same condition,
 * so totalCount is the size of the list the client pages through, not of the table. The arguments are checked
 * before `inScope` is awaited: bad input fails without loading the caller's permissions. `plan` adds what the
 * client selected beneath the products to the same statement (planned-product-page.ts).
 */
export const productPage = async (
  db: CommonQueryMethods,
  args: PageArgs,
  order: ProductOrder,
  inScope: () => Promise<FragmentSqlToken | null>,
  plan: () => Promise<ProductPagePlan | null> = async () => null,
): Promise<ProductPage> => {
  const connection = `products:${order.field}:${order.direction}`;
  const request = pageRequest(connection, args, 2);
  if (order.field === 'CREATED_AT') assertTimestampKeys(request);
  const page = keysetPage({
    key: { column: sortColumn[order.field], direction: order.direction },
    tieBreaker: sql.identifier(['sku']),
    request,
  });
  const scope = await inScope();
  const planned = await plan();
  const columns = planned ? sql.join([productColumns, ...planned.columns], sql.fragment`, `) : productColumns;
  const rows = await db.any(sql.type(plannedRow)`
    SELECT ${columns} FROM products
    WHERE ${allOf(page.where, scope)}
    ORDER BY ${page.orderBy} LIMIT ${page.limit}`);
  const products = planned ? rows.map(planned.productOf) : rows;
  return {
    ...connectionFromRows(products, request, productKey(order)),
    totalCount: () => db.oneFirst(sql.type(count)`SELECT count(*) AS count FROM products WHERE ${allOf(scope)}`),
  };
};

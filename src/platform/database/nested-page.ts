/**
 * A page of child rows as one value of its parent's row: a correlated subquery that aggregates at most `limit`
 * rows into a JSON array of arrays (each row's `values`, in order), sorted by `order`. Put it in the select list of
 * the parent's statement and a page of parents comes back with each parent's children in the same round trip
 * (what a DataLoader does in a second statement). Postgres runs it once per parent row, through the child table's
 * index on the parent key.
 *
 * The rows are read as the pg driver parses JSON: dates and timestamps arrive as text (send numbers instead, e.g.
 * epoch milliseconds), and no type parser or interceptor of the pool sees them, so validate them in the parent row's
 * schema. Real Postgres only: pg-mem cannot aggregate JSON (docs/decisions/0004-pg-mem-plus-real-postgres.md).
 */
import { sql, type FragmentSqlToken } from 'slonik';

export type NestedOrder = {
  readonly key: FragmentSqlToken;
  readonly direction: 'ASC' | 'DESC';
  readonly nulls?: 'FIRST' | 'LAST';
};

export type NestedPage = {
  /** The values of each child row, in the order the JSON arrays hold them. */
  readonly values: readonly FragmentSqlToken[];
  /** The child table (or join), e.g. sql.fragment`batches`. */
  readonly from: FragmentSqlToken;
  /** Which rows: the parent key (`batches.sku = products.sku`) and the caller's read scope of the children. */
  readonly where: FragmentSqlToken;
  /** Most significant key first; a unique key last, so the order is total. */
  readonly order: readonly NestedOrder[];
  readonly limit: number;
};

const orderBy = (order: readonly NestedOrder[], key: (each: NestedOrder, index: number) => FragmentSqlToken) =>
  sql.join(
    order.map(
      (each, index) =>
        sql.fragment`${key(each, index)} ${each.direction === 'ASC' ? sql.fragment`ASC` : sql.fragment`DESC`} ${
          each.nulls === 'FIRST' ? sql.fragment`NULLS FIRST` : sql.fragment`NULLS LAST`
        }`,
    ),
    sql.fragment`, `,
  );

export const nestedPage = ({ values, from, where, order, limit }: NestedPage): FragmentSqlToken => {
  const value = (index: number) => sql.identifier([`v${index}`]);
  const key = (index: number) => sql.identifier([`k${index}`]);
  // The keys are selected too, so the aggregate can sort by them: the order of a subquery's rows is not
  // guaranteed to survive into an aggregate.
  const columns = [
    ...values.map((each, index) => sql.fragment`${each} AS ${value(index)}`),
    ...order.map((each, index) => sql.fragment`${each.key} AS ${key(index)}`),
  ];
  const row = sql.join(
    values.map((_, index) => sql.fragment`page.${value(index)}`),
    sql.fragment`, `,
  );
  return sql.fragment`(
    SELECT coalesce(json_agg(json_build_array(${row}) ORDER BY ${orderBy(order, (_, index) => sql.fragment`page.${key(index)}`)}), '[]'::json)
    FROM (
      SELECT ${sql.join(columns, sql.fragment`, `)} FROM ${from}
      WHERE ${where}
      ORDER BY ${orderBy(order, (each) => each.key)}
      LIMIT ${limit}
    ) AS page)`;
};

/**
 * The SQL half of a Relay connection: WHERE, ORDER BY and LIMIT for a keyset ("seek") page, to pair with
 * `connectionFromRows` from src/core/pagination.ts. Keyset instead of OFFSET so a page costs the same at row
 * 1,000,000 as at row 1 (given an index on (key, tieBreaker)) and rows inserted while a client pages are never
 * shown twice nor skip an existing row.
 *
 * Limits, on purpose:
 * - Sort keys must be NOT NULL columns: `key > NULL` is never true, so a NULL key would drop rows from every page.
 *   (Supporting NULLS FIRST/LAST needs one more OR branch per case; no connection needs it yet.)
 * - One sort key plus a unique tie-breaker (cursor arity 2), both sorted the same direction.
 * - Cursor values are compared as sent: a timestamptz key must round-trip through the cursor exactly. JS Dates keep
 *   milliseconds, Postgres microseconds, so store such keys at millisecond precision (e.g. `date_trunc`) or the row
 *   on the page boundary shows up again on the next page.
 * - The predicate is the row comparison `(key, id) > ($k, $id)`: Postgres seeks a (key, id) btree index with it
 *   directly (an OR of the columns would make it walk the index from the start). It needs both columns sorted the
 *   same way, which is why mixed directions are not offered.
 */
import { sql, type FragmentSqlToken, type IdentifierSqlToken } from 'slonik';
import { DomainError } from '../../core/errors.ts';
import { fetchesBackward, fetchLimit, type CursorKey, type PageRequest } from '../../core/pagination.ts';

type Column = IdentifierSqlToken | FragmentSqlToken;
export type SortDirection = 'ASC' | 'DESC';

export type KeysetOrder = {
  /** The NOT NULL sort column, in the connection's natural order. */
  readonly key: { readonly column: Column; readonly direction: SortDirection };
  /** A unique column breaking ties between equal keys, sorted in the key's direction. */
  readonly tieBreaker: Column;
  readonly request: PageRequest;
};

export type KeysetPage = {
  /** `TRUE` when the request has no cursor, so it always fits in `WHERE ${page.where}`. */
  readonly where: FragmentSqlToken;
  readonly orderBy: FragmentSqlToken;
  readonly limit: number;
  /** Rows come back in reverse natural order (`last` without `first`); connectionFromRows flips them back. */
  readonly reversed: boolean;
};

const flip = (direction: SortDirection): SortDirection => (direction === 'ASC' ? 'DESC' : 'ASC');

/** Rows strictly past `cursor` when walking in `direction` (ASC: greater, DESC: smaller). */
const beyond = (key: Column, tieBreaker: Column, direction: SortDirection, cursor: CursorKey, field: string) => {
  const [value, id] = cursor;
  // Sort keys are NOT NULL, so a null can only come from a hand-made cursor; `= NULL` would just match nothing.
  if (value === null || value === undefined || id === null || id === undefined) {
    throw new DomainError('InvalidInput', 'InvalidCursor', `The ${field} cursor does not fit this list`, { field });
  }
  const op = direction === 'ASC' ? sql.fragment`>` : sql.fragment`<`;
  return sql.fragment`(${key}, ${tieBreaker}) ${op} (${value}, ${id})`;
};

export const keysetPage = ({ key, tieBreaker, request }: KeysetOrder): KeysetPage => {
  const natural = key.direction;
  const conditions = [
    request.after && beyond(key.column, tieBreaker, natural, request.after, 'after'),
    request.before && beyond(key.column, tieBreaker, flip(natural), request.before, 'before'),
  ].filter((condition) => condition !== null);
  const reversed = fetchesBackward(request);
  const direction = (reversed ? flip(natural) : natural) === 'ASC' ? sql.fragment`ASC` : sql.fragment`DESC`;
  return {
    where: conditions.length === 0 ? sql.fragment`TRUE` : sql.fragment`${sql.join(conditions, sql.fragment` AND `)}`,
    orderBy: sql.fragment`${key.column} ${direction}, ${tieBreaker} ${direction}`,
    limit: fetchLimit(request),
    reversed,
  };
};

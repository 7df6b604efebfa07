/**
 * Relay Cursor Connections (https://relay.dev/graphql/connections.htm) over keyset queries.
 *
 * The spec describes its algorithm over "all edges"; we never load those. An adapter fetches at most
 * `fetchLimit(request)` rows past the cursors, in `fetchesBackward(request)` order (platform/database/keyset.ts
 * writes that SQL), and `connectionFromRows` derives the page and its flags from them: the one extra row is what
 * tells "there is more" apart from "this was the end", so exact page boundaries never cost an empty extra page.
 */
import { DomainError } from './errors.ts';

export type PageArgs = {
  readonly first?: number | null;
  readonly after?: string | null;
  readonly last?: number | null;
  readonly before?: string | null;
};

/** One position in a sort order: the sort key value(s) then the unique tie-breaker. Dates travel as ISO strings. */
export type CursorValue = string | number | null;
export type CursorKey = readonly CursorValue[];

/** Validated arguments. At least one of first/last is set (pageRequest defaults `first`), which the union states. */
export type PageRequest = {
  readonly connection: string;
  readonly after: CursorKey | null;
  readonly before: CursorKey | null;
} & ({ readonly first: number; readonly last: number | null } | { readonly first: null; readonly last: number });

export type PageSizes = { readonly defaultSize?: number; readonly maxSize?: number };

/**
 * Every connection's page size unless it says otherwise: 20 when the client asks for none, at most 100. The
 * GraphQL cost limit (platform/graphql) estimates a connection's size with the same figures.
 */
export const PAGE_SIZES = { defaultSize: 20, maxSize: 100 } as const;

export type Edge<T> = { readonly cursor: string; readonly node: T };
export type PageInfo = {
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  readonly startCursor: string | null;
  readonly endCursor: string | null;
};
export type Connection<T> = { readonly edges: readonly Edge<T>[]; readonly pageInfo: PageInfo };

/** A page of a connection plus its total, counted only when a client asks for it. */
export type Page<T> = Connection<T> & { readonly totalCount: () => Promise<number> };

/**
 * Opaque to clients, but neither secret nor signed: a client can forge one, so decoding checks everything and the
 * values only ever reach SQL as bound parameters. The connection name makes a cursor of another list fail loudly
 * instead of silently selecting a meaningless slice.
 */
export const encodeCursor = (connection: string, key: CursorKey): string =>
  Buffer.from(JSON.stringify({ c: connection, k: key }), 'utf8').toString('base64url');

const invalidCursor = (field: 'after' | 'before', why: string): DomainError =>
  new DomainError('InvalidInput', 'InvalidCursor', `The ${field} cursor ${why}`, { field });

// Postgres text cannot hold NUL: such a value can only be forged, and must fail here as bad input, not there.
const isCursorValue = (value: unknown): value is CursorValue =>
  value === null ||
  (typeof value === 'string' && !value.includes('\u0000')) ||
  (typeof value === 'number' && Number.isFinite(value));

const parseCursor = (cursor: string): unknown => {
  const json = Buffer.from(cursor, 'base64url').toString('utf8');
  // Node's decoder skips characters outside the alphabet; re-encoding rejects anything we did not write.
  if (Buffer.from(json, 'utf8').toString('base64url') !== cursor) return undefined;
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
};

export const decodeCursor = (
  connection: string,
  cursor: string,
  arity: number,
  field: 'after' | 'before' = 'after',
): CursorValue[] => {
  const parsed = parseCursor(cursor) as { c?: unknown; k?: unknown } | null | undefined;
  if (typeof parsed !== 'object' || parsed === null || typeof parsed.c !== 'string' || !Array.isArray(parsed.k)) {
    throw invalidCursor(field, 'is not a cursor this server issued');
  }
  if (parsed.c !== connection) throw invalidCursor(field, `belongs to another list, not ${connection}`);
  const key: unknown[] = parsed.k;
  if (key.length !== arity || !key.every(isCursorValue)) throw invalidCursor(field, `does not fit ${connection}`);
  return key;
};

const pageSize = (field: 'first' | 'last', value: number | null | undefined, maxSize: number): number | null => {
  if (value === null || value === undefined) return null;
  // No silent clamp: a client asking for 1000 and getting 100 would take the short page for the whole list.
  if (!Number.isInteger(value) || value < 0 || value > maxSize) {
    throw new DomainError('InvalidInput', 'InvalidPageSize', `${field} must be an integer from 0 to ${maxSize}`, {
      field,
    });
  }
  return value;
};

export const pageRequest = (
  connection: string,
  args: PageArgs,
  arity: number,
  { defaultSize = PAGE_SIZES.defaultSize, maxSize = PAGE_SIZES.maxSize }: PageSizes = PAGE_SIZES,
): PageRequest => {
  const first = pageSize('first', args.first, maxSize);
  const last = pageSize('last', args.last, maxSize);
  const after = args.after == null ? null : decodeCursor(connection, args.after, arity, 'after');
  const before = args.before == null ? null : decodeCursor(connection, args.before, arity, 'before');
  // The spec allows first and last together (discouraged, not forbidden); with neither we page forward.
  if (first !== null) return { connection, first, last, after, before };
  if (last !== null) return { connection, first, last, after, before };
  return { connection, first: defaultSize, last: null, after, before };
};

/** Only `last` without `first` reads from the end, so the database touches the rows near `before`, not all of them. */
export const fetchesBackward = (request: PageRequest): boolean => request.first === null;

/**
 * One row more than the page, to learn whether more exist. With first and last together we read max(first, last)
 * + 1 rows so that both spec flags are exact ("more than first" and "more than last" between the cursors) at the
 * cost of at most maxSize extra rows.
 */
export const fetchLimit = (request: PageRequest): number => Math.max(request.first ?? 0, request.last ?? 0) + 1;

/**
 * The spec's EdgesToReturn, HasNextPage and HasPreviousPage over rows fetched as above (ApplyCursorsToEdges is the
 * SQL WHERE). The flag the arguments do not ask about is reported false: the spec says the server "may" return
 * true only when it can tell cheaply ("elements exist prior to after"), and telling would take one more query per
 * page. Clients paging forward read hasNextPage, clients paging backward hasPreviousPage; both are exact.
 */
export const connectionFromRows = <T>(
  rows: readonly T[],
  request: PageRequest,
  cursorOf: (row: T) => CursorKey,
): Connection<T> => {
  let page: readonly T[];
  let hasNextPage = false;
  let hasPreviousPage = false;
  if (request.first === null) {
    // Fetched in reverse: the first `last` rows are the page, newest-first; flip them back to natural order.
    hasPreviousPage = rows.length > request.last;
    page = rows.slice(0, request.last).reverse();
  } else {
    hasNextPage = rows.length > request.first;
    page = rows.slice(0, request.first);
    if (request.last !== null) {
      hasPreviousPage = rows.length > request.last;
      page = page.slice(Math.max(0, page.length - request.last));
    }
  }
  const edges = page.map((node) => ({ cursor: encodeCursor(request.connection, cursorOf(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
};

/** Orders cursor keys value by value: null first, then numbers or strings in their natural order. */
const compareKeys = (left: CursorKey, right: CursorKey): number => {
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    const [a, b] = [left[index] ?? null, right[index] ?? null];
    if (a === b) continue;
    if (a === null) return -1;
    if (b === null) return 1;
    return a < b ? -1 : 1;
  }
  return 0;
};

/**
 * The same page over a list already in memory, sorted here by `cursorOf` in `direction` (e.g. one product's
 * batches, loaded for many products in one query). Cursors and flags behave exactly as with the keyset SQL.
 */
export const connectionFromSortedArray = <T>(
  all: readonly T[],
  request: PageRequest,
  cursorOf: (row: T) => CursorKey,
  direction: 'ASC' | 'DESC' = 'ASC',
): Connection<T> => {
  const sign = direction === 'ASC' ? 1 : -1;
  // Sorted by the very comparison used to filter, so the page can never disagree with a database collation.
  const sorted = [...all].sort((left, right) => sign * compareKeys(cursorOf(left), cursorOf(right)));
  const between = sorted.filter((row) => {
    const key = cursorOf(row);
    return (
      (!request.after || sign * compareKeys(key, request.after) > 0) &&
      (!request.before || sign * compareKeys(key, request.before) < 0)
    );
  });
  const fetched = fetchesBackward(request) ? [...between].reverse() : between;
  return connectionFromRows(fetched.slice(0, fetchLimit(request)), request, cursorOf);
};

/**
 * A conformance walker for Relay Cursor Connections (https://relay.dev/graphql/connections.htm), shared by the
 * integration (pg-mem, in process) and e2e (real Postgres, over HTTP) connection tests.
 *
 * It knows nothing of how a page is fetched: give it `page(args)` and the whole list the connection must show, in
 * order, as node keys (SKUs). Every answer is checked against the spec's own algorithm run over that list in memory
 * (`specPage`), so a page is right only if it has exactly the right edges and flags, not merely plausible ones.
 */
import { expect } from '@jest/globals';

export type PageArgs = {
  readonly first?: number;
  readonly after?: string;
  readonly last?: number;
  readonly before?: string;
};

export type RelayPage = {
  readonly edges: ReadonlyArray<{ readonly cursor: string; readonly node: { readonly sku: string } }>;
  readonly pageInfo: {
    readonly hasNextPage: boolean;
    readonly hasPreviousPage: boolean;
    readonly startCursor: string | null;
    readonly endCursor: string | null;
  };
  readonly totalCount: number;
};

export type Pager = (args: PageArgs) => Promise<RelayPage>;

/** A flag the spec fixes, or one it leaves to the server ("may return true if it can efficiently determine"). */
type Flag = boolean | 'either';
type Expected = { readonly skus: readonly string[]; readonly hasNextPage: Flag; readonly hasPreviousPage: Flag };

/** Arguments with cursors given as positions in the whole list: the cursor of the edge at that index. */
type ModelArgs = { readonly first?: number; readonly last?: number; readonly after?: number; readonly before?: number };

/** Stops a connection that never says "no more" from looping forever. */
const MAX_PAGES = 500;

/** Jest's diff then names the case that failed. */
const same = (label: string, actual: unknown, expected: unknown): void => {
  expect({ case: label, value: actual }).toEqual({ case: label, value: expected });
};

const skusOf = (page: RelayPage): string[] => page.edges.map((edge) => edge.node.sku);

const describeArgs = (args: PageArgs | ModelArgs): string => JSON.stringify(args);

/**
 * The spec's algorithm over the whole list: ApplyCursorsToEdges, then EdgesToReturn, HasNextPage and
 * HasPreviousPage. Cursors are exclusive; the flag the arguments do not ask about is false unless the matching
 * cursor is set, in which case the server may say either (elements do exist past an existing edge's cursor).
 */
export const specPage = (all: readonly string[], { first, last, after, before }: ModelArgs): Expected => {
  const start = after === undefined ? 0 : after + 1;
  const end = before === undefined ? all.length : before;
  const between = all.slice(start, Math.max(start, end));
  let skus = between;
  if (first !== undefined) skus = skus.slice(0, first);
  if (last !== undefined) skus = skus.slice(Math.max(0, skus.length - last));
  const hasNextPage: Flag = first !== undefined ? between.length > first : before !== undefined ? 'either' : false;
  const hasPreviousPage: Flag = last !== undefined ? between.length > last : after !== undefined ? 'either' : false;
  return { skus, hasNextPage, hasPreviousPage };
};

/** What every answer must satisfy whatever the arguments: cursors agree with the edges, the count is the whole. */
const expectWellFormed = (label: string, page: RelayPage, totalCount: number): void => {
  const { edges, pageInfo } = page;
  same(
    `${label}: startCursor/endCursor are the first/last edge's cursor, totalCount the whole list`,
    { startCursor: pageInfo.startCursor, endCursor: pageInfo.endCursor, totalCount: page.totalCount },
    { startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null, totalCount },
  );
  same(
    `${label}: every edge has a non-empty cursor`,
    edges.filter((edge) => typeof edge.cursor !== 'string' || edge.cursor === '').length,
    0,
  );
  const skus = skusOf(page);
  same(
    `${label}: no node twice on a page`,
    skus.filter((sku, index) => skus.indexOf(sku) !== index),
    [],
  );
};

const expectPage = (label: string, page: RelayPage, expected: Expected, totalCount: number): void => {
  expectWellFormed(label, page, totalCount);
  same(`${label}: edges`, skusOf(page), expected.skus);
  const flags = (info: { hasNextPage: Flag; hasPreviousPage: Flag }) => ({
    hasNextPage: expected.hasNextPage === 'either' ? 'either' : info.hasNextPage,
    hasPreviousPage: expected.hasPreviousPage === 'either' ? 'either' : info.hasPreviousPage,
  });
  same(`${label}: pageInfo flags`, flags(page.pageInfo), flags(expected));
};

export type Walk = { readonly skus: string[]; readonly pages: RelayPage[] };

/**
 * Pages through a connection the way a client does: `first: size` then `after: endCursor` forward, or `last: size`
 * then `before: startCursor` backward, until hasNextPage (hasPreviousPage) is false. `between` runs after every
 * page that announces another (to insert rows while paging) and returns how many rows the list gained.
 */
export const walk = async (
  page: Pager,
  size: number,
  way: 'forward' | 'backward',
  { totalCount, between }: { totalCount: number; between?: () => Promise<number> },
): Promise<Walk> => {
  const skus: string[] = [];
  const pages: RelayPage[] = [];
  let cursor: string | undefined;
  let count = totalCount;
  while (pages.length < MAX_PAGES) {
    const args = way === 'forward' ? { first: size, after: cursor } : { last: size, before: cursor };
    const answer = await page(args);
    const label = `${way} by ${size}, page ${pages.length + 1}`;
    expectWellFormed(label, answer, count);
    pages.push(answer);
    if (way === 'forward') skus.push(...skusOf(answer));
    else skus.unshift(...skusOf(answer));
    const more = way === 'forward' ? answer.pageInfo.hasNextPage : answer.pageInfo.hasPreviousPage;
    if (!more) return { skus, pages };
    // A page announcing more must be full, and must say where to continue from.
    same(`${label}: a page announcing more is full`, answer.edges.length, size);
    cursor = (way === 'forward' ? answer.pageInfo.endCursor : answer.pageInfo.startCursor) ?? undefined;
    if (between) count += await between();
  }
  throw new Error(`paging ${way} by ${size} did not end after ${MAX_PAGES} pages`);
};

/** A list with nothing in it: no edges, both flags false, null cursors, whatever the page size or direction. */
export const expectEmptyConnection = async (page: Pager): Promise<void> => {
  for (const args of [{}, { first: 5 }, { last: 5 }, { first: 0 }, { first: 3, last: 3 }, { first: 100 }]) {
    same(`empty list, ${describeArgs(args)}`, await page(args), {
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
      totalCount: 0,
    });
  }
};

/**
 * The whole conformance suite over a list of at least ten nodes, read-only:
 * - forward and backward walks for every page size equal the list (no gap, no duplicate), every page is the one
 *   the spec's algorithm gives, and a walk takes exactly ceil(n / size) requests: when the size divides the count
 *   the last full page already says there is no more (no empty extra page);
 * - first and last together, with and without cursors;
 * - after and before together hold exactly the nodes strictly between them; either alone, the rest on its side;
 * - totalCount is the whole count on every page, startCursor/endCursor the first/last edge's cursor.
 */
export const expectRelayConformance = async (
  page: Pager,
  all: readonly string[],
  pageSizes: readonly number[] = [1, 5, 23, 100],
): Promise<void> => {
  const n = all.length;
  if (n < 10) throw new Error(`the conformance walk needs at least 10 nodes, got ${n}`);
  same('the expected list has no duplicates', new Set(all).size, n);

  const forwardCursors = new Map<number, string>();
  const backwardCursors = new Map<number, string>();
  for (const size of pageSizes) {
    const forward = await walk(page, size, 'forward', { totalCount: n });
    same(`forward by ${size}: the whole list, in order`, forward.skus, all);
    same(`forward by ${size}: requests`, forward.pages.length, Math.max(1, Math.ceil(n / size)));
    forward.pages.forEach((answer, index) => {
      const after = index === 0 ? undefined : index * size - 1;
      expectPage(`forward by ${size}, page ${index + 1}`, answer, specPage(all, { first: size, after }), n);
      answer.edges.forEach((edge, offset) => forwardCursors.set(index * size + offset, edge.cursor));
    });

    const backward = await walk(page, size, 'backward', { totalCount: n });
    same(`backward by ${size}: the whole list, in order`, backward.skus, all);
    same(`backward by ${size}: requests`, backward.pages.length, Math.max(1, Math.ceil(n / size)));
    backward.pages.forEach((answer, index) => {
      const before = index === 0 ? undefined : n - index * size;
      expectPage(`backward by ${size}, page ${index + 1}`, answer, specPage(all, { last: size, before }), n);
      const start = Math.max(0, n - (index + 1) * size);
      answer.edges.forEach((edge, offset) => backwardCursors.set(start + offset, edge.cursor));
    });
  }
  same('every position got a cursor from the walks', [forwardCursors.size, backwardCursors.size], [n, n]);

  // Cursors are positions: an `after` from a forward walk and a `before` from a backward walk work together.
  const ask = async (args: ModelArgs): Promise<void> => {
    const request: PageArgs = {
      ...(args.first === undefined ? {} : { first: args.first }),
      ...(args.last === undefined ? {} : { last: args.last }),
      ...(args.after === undefined ? {} : { after: forwardCursors.get(args.after) }),
      ...(args.before === undefined ? {} : { before: backwardCursors.get(args.before) }),
    };
    expectPage(describeArgs(args), await page(request), specPage(all, args), n);
  };

  // Exact boundaries: a page holding precisely the rest says there is no more; one short of it says there is.
  for (const args of [{ first: n }, { first: n - 1 }, { last: n }, { last: n - 1 }, { first: 100 }, { last: 100 }]) {
    await ask(args);
  }
  for (const args of [
    { after: n - 1, first: 5 },
    { after: n - 2, first: 1 },
    { before: 0, last: 5 },
    { before: 1, last: 1 },
  ]) {
    await ask(args);
  }

  // First and last together: the last `last` of the first `first`, both flags exact.
  const cursorSets: ModelArgs[] = [{}, { after: 1 }, { before: n - 2 }, { after: 1, before: n - 2 }];
  const firstLast = [
    [10, 3],
    [3, 10],
    [5, 5],
    [n, 1],
    [1, n],
    [0, 3],
    [3, 0],
    [100, 100],
  ] as const;
  for (const cursors of cursorSets) {
    for (const [first, last] of firstLast) await ask({ ...cursors, first, last });
  }

  // After and before together: exactly the nodes strictly between (empty for neighbours, equal or crossed cursors).
  const pairs = [
    [0, n - 1],
    [2, 7],
    [4, 5],
    [5, 5],
    [7, 2],
    [n - 3, n - 1],
    [0, 2],
  ] as const;
  for (const [after, before] of pairs) {
    for (const size of [{ first: 100 }, { last: 100 }, { first: 2 }, { last: 2 }])
      await ask({ after, before, ...size });
  }

  // Either cursor alone, paging either way from it.
  for (const position of [0, Math.floor(n / 2), n - 1]) {
    for (const size of [{ first: 100 }, { first: 3 }, { last: 3 }]) await ask({ after: position, ...size });
    for (const size of [{ last: 100 }, { last: 3 }, { first: 3 }]) await ask({ before: position, ...size });
  }
};

/**
 * Pages through `existing` (the list when paging starts) while `insert()` adds rows between pages, and checks the
 * keyset promise: every row that existed is seen exactly once and in order, nothing is seen twice, and only rows
 * that exist show up. `insert` returns the SKUs it added; make it add rows on both sides of any position (some
 * sort before the walk's cursor, which an OFFSET-based page would show again, some after).
 */
export const expectStableWhileInserting = async (
  page: Pager,
  existing: readonly string[],
  size: number,
  way: 'forward' | 'backward',
  insert: () => Promise<readonly string[]>,
): Promise<{ seen: readonly string[]; inserted: readonly string[] }> => {
  const inserted: string[] = [];
  const { skus: seen } = await walk(page, size, way, {
    totalCount: existing.length,
    between: async () => {
      const added = await insert();
      inserted.push(...added);
      return added.length;
    },
  });
  const before = new Set(existing);
  const known = new Set([...existing, ...inserted]);
  same(`${way} while inserting: rows were inserted mid-walk`, inserted.length > 0, true);
  same(
    `${way} while inserting: no row twice`,
    seen.filter((sku, index) => seen.indexOf(sku) !== index),
    [],
  );
  same(
    `${way} while inserting: only rows that exist`,
    seen.filter((sku) => !known.has(sku)),
    [],
  );
  same(
    `${way} while inserting: every pre-existing row once, in order`,
    seen.filter((sku) => before.has(sku)),
    existing,
  );
  return { seen, inserted };
};

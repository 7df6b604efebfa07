import { sql } from 'slonik';
import { z } from 'zod';
import {
  connectionFromRows,
  encodeCursor,
  pageRequest,
  type Connection,
  type PageArgs,
} from '../../../src/core/pagination.ts';
import { keysetPage, type SortDirection } from '../../../src/platform/database/keyset.ts';
import { createPgMemDatabase, type PgMemDatabase } from '../../support/pg-mem.ts';

const itemRow = z.object({ name: z.string(), id: z.number() });
type Item = z.infer<typeof itemRow>;

let database: PgMemDatabase;

beforeEach(async () => {
  database = await createPgMemDatabase();
  // A throwaway table: repeated names make the id tie-breaker decide the order within a name.
  database.db.public.none('create table items (name text not null, id integer primary key)');
});
afterEach(async () => database.end());

const insert = (items: readonly Item[]) => {
  for (const { name, id } of items) database.db.public.none(`insert into items (name, id) values ('${name}', ${id})`);
};

/** n items, 3 distinct names, ids out of name order. */
const itemsOf = (n: number, firstId = 1): Item[] =>
  Array.from({ length: n }, (_, i) => ({
    name: ['pear', 'apple', 'fig'][(i * 5) % 3] ?? '',
    id: ((i * 11) % 97) + firstId,
  }));

const naturalOrder = (items: readonly Item[], direction: SortDirection): Item[] => {
  const ascending = [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id));
  return direction === 'ASC' ? ascending : ascending.reverse();
};

/** The few lines a real adapter writes for a connection. */
const pageOfItems =
  (direction: SortDirection) =>
  async (args: PageArgs): Promise<Connection<Item>> => {
    const request = pageRequest('items', args, 2);
    const page = keysetPage({
      key: { column: sql.identifier(['name']), direction },
      tieBreaker: sql.identifier(['id']),
      request,
    });
    const rows = await database.pool.any(sql.type(itemRow)`
    SELECT name, id FROM items WHERE ${page.where} ORDER BY ${page.orderBy} LIMIT ${page.limit}`);
    return connectionFromRows(rows, request, (row) => [row.name, row.id]);
  };

type Pager = ReturnType<typeof pageOfItems>;
const nodes = (connection: Connection<Item>) => connection.edges.map((edge) => edge.node);

/** Pages through the whole list; `between` runs after each page (to insert rows while paging). */
const walk = async (page: Pager, size: number, way: 'forward' | 'backward', between: () => void = () => undefined) => {
  const seen: Item[] = [];
  let cursor: string | null = null;
  for (let pages = 1; pages <= 100; pages++) {
    const connection: Connection<Item> =
      way === 'forward' ? await page({ first: size, after: cursor }) : await page({ last: size, before: cursor });
    const { edges, pageInfo } = connection;
    expect([pageInfo.startCursor, pageInfo.endCursor]).toEqual([
      edges[0]?.cursor ?? null,
      edges.at(-1)?.cursor ?? null,
    ]);
    if (way === 'forward') seen.push(...nodes(connection));
    else seen.unshift(...nodes(connection));
    const more = way === 'forward' ? pageInfo.hasNextPage : pageInfo.hasPreviousPage;
    if (!more) return { seen, pages };
    cursor = way === 'forward' ? pageInfo.endCursor : pageInfo.startCursor;
    between();
  }
  throw new Error(`paging ${way} never ended`);
};

describe.each<SortDirection>(['ASC', 'DESC'])('keyset SQL sorted by name %s, then id', (direction) => {
  describe.each([0, 1, 7, 25])('over %i items', (n) => {
    const items = itemsOf(n);
    const expected = naturalOrder(items, direction);
    const page = pageOfItems(direction);
    const sizes = Array.from({ length: n + 1 }, (_, i) => i + 1);

    beforeEach(() => insert(items));

    it.each(sizes)('paged forward or backward %i at a time yields every row once, in order', async (size) => {
      const pages = Math.max(1, Math.ceil(n / size));

      expect(await walk(page, size, 'forward')).toEqual({ seen: expected, pages });
      expect(await walk(page, size, 'backward')).toEqual({ seen: expected, pages });
    });

    it('with first and last together keeps the last `last` of the first `first`', async () => {
      for (const [first, last] of [
        [3, 2],
        [2, 3],
        [n, 1],
        [0, 0],
      ] as const) {
        const connection = await page({ first, last });
        const firsts = expected.slice(0, first);

        expect(nodes(connection)).toEqual(firsts.slice(Math.max(0, firsts.length - last)));
        expect(connection.pageInfo).toMatchObject({ hasNextPage: n > first, hasPreviousPage: n > last });
      }
    });

    it('between an after and a before cursor holds exactly the rows strictly between them', async () => {
      const cursorOf = (item: Item) => encodeCursor('items', [item.name, item.id]);
      // Near neighbours (empty and short slices, equal names) and every slice from either end: all 300 pairs would
      // cost seconds on pg-mem, and the unit test walks them all against the same algorithm.
      const picked = (i: number, j: number) => i < j && (j - i <= 3 || i === 0 || j === n - 1);
      for (const [i, low] of expected.entries()) {
        for (const [j, high] of expected.entries()) {
          if (!picked(i, j)) continue;
          const cursors = { after: cursorOf(low), before: cursorOf(high) };

          expect(nodes(await page({ ...cursors, first: 100 }))).toEqual(expected.slice(i + 1, j));
          expect(nodes(await page({ ...cursors, last: 100 }))).toEqual(expected.slice(i + 1, j));
        }
      }
    });
  });

  it.each(['forward', 'backward'] as const)(
    'paging %s, rows inserted between pages never repeat or skip a row that existed when paging started',
    async (way) => {
      const existing = itemsOf(12);
      insert(existing);
      let nextId = 1000;
      // Every name, each with an id below and above all existing ones: some land before the cursor, some after.
      const insertAround = () =>
        insert(
          ['apple', 'fig', 'pear'].flatMap((name) => [
            { name, id: -nextId++ },
            { name, id: nextId++ },
          ]),
        );

      const { seen } = await walk(pageOfItems(direction), 3, way, insertAround);

      const existingIds = new Set(existing.map((item) => item.id));
      expect(seen.filter((item) => existingIds.has(item.id))).toEqual(naturalOrder(existing, direction));
      expect(new Set(seen.map((item) => item.id)).size).toBe(seen.length);
      expect(seen.length).toBeGreaterThan(existing.length); // rows inserted past the cursor do show up
    },
  );
});

describe('keyset SQL', () => {
  it('for `last` reads the end of the list in reverse, so it never scans from the start', async () => {
    const request = pageRequest('items', { last: 2 }, 2);
    const page = keysetPage({
      key: { column: sql.identifier(['name']), direction: 'ASC' },
      tieBreaker: sql.identifier(['id']),
      request,
    });

    expect(page.reversed).toBe(true);
    expect(page.limit).toBe(3);
    expect(page.orderBy.sql).toBe('"name" DESC, "id" DESC');
  });

  it('refuses a forged cursor holding a null key, which no NOT NULL sort key can produce', async () => {
    await expect(pageOfItems('ASC')({ after: encodeCursor('items', [null, 1]) })).rejects.toMatchObject({
      category: 'InvalidInput',
      name: 'InvalidCursor',
      details: { field: 'after' },
    });
  });
});

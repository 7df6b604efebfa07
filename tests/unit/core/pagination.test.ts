import {
  connectionFromRows,
  decodeCursor,
  encodeCursor,
  fetchesBackward,
  fetchLimit,
  pageRequest,
  type Connection,
  type CursorKey,
  type PageArgs,
  type PageRequest,
} from '../../../src/core/pagination.ts';

type Item = { name: string; id: number };

const keyOf = (item: Item): CursorKey => [item.name, item.id];
const compare = (a: CursorKey, b: CursorKey): number =>
  String(a[0]).localeCompare(String(b[0])) || Number(a[1]) - Number(b[1]);

/** n items with repeated names (so the id tie-breaker matters), in the list's natural order: name, then id. */
const itemsOf = (n: number): Item[] =>
  Array.from({ length: n }, (_, i) => ({
    name: ['pear', 'apple', 'fig'][(i * 5) % 3] ?? '',
    id: ((i * 11) % 97) + 1,
  })).sort((a, b) => compare(keyOf(a), keyOf(b)));

/** What the keyset SQL does: rows strictly between the cursors, in fetch order, fetchLimit of them. */
const fetchRows = (items: readonly Item[], request: PageRequest): Item[] => {
  const between = items.filter(
    (item) =>
      (request.after === null || compare(keyOf(item), request.after) > 0) &&
      (request.before === null || compare(keyOf(item), request.before) < 0),
  );
  return (fetchesBackward(request) ? between.reverse() : between).slice(0, fetchLimit(request));
};

const pagerOver =
  (items: readonly Item[]) =>
  (args: PageArgs): Connection<Item> => {
    const request = pageRequest('items', args, 2);
    return connectionFromRows(fetchRows(items, request), request, keyOf);
  };

const nodes = (connection: Connection<Item>) => connection.edges.map((edge) => edge.node);
const cursorOf = (item: Item) => encodeCursor('items', keyOf(item));

/** Every page's cursors agree with its edges (null on an empty page). */
const expectConsistentCursors = ({ edges, pageInfo }: Connection<Item>) => {
  expect(pageInfo.startCursor).toBe(edges[0]?.cursor ?? null);
  expect(pageInfo.endCursor).toBe(edges.at(-1)?.cursor ?? null);
};

const walkForward = (page: ReturnType<typeof pagerOver>, size: number) => {
  const seen: Item[] = [];
  let after: string | null = null;
  for (let pages = 1; pages <= 100; pages++) {
    const connection: Connection<Item> = page({ first: size, after });
    expectConsistentCursors(connection);
    // Our documented choice: the flag the client is not paging towards is false, never a guess.
    expect(connection.pageInfo.hasPreviousPage).toBe(false);
    seen.push(...nodes(connection));
    if (!connection.pageInfo.hasNextPage) return { seen, pages };
    after = connection.pageInfo.endCursor;
  }
  throw new Error('paging forward never ended');
};

const walkBackward = (page: ReturnType<typeof pagerOver>, size: number) => {
  const seen: Item[] = [];
  let before: string | null = null;
  for (let pages = 1; pages <= 100; pages++) {
    const connection: Connection<Item> = page({ last: size, before });
    expectConsistentCursors(connection);
    expect(connection.pageInfo.hasNextPage).toBe(false);
    seen.unshift(...nodes(connection));
    if (!connection.pageInfo.hasPreviousPage) return { seen, pages };
    before = connection.pageInfo.startCursor;
  }
  throw new Error('paging backward never ended');
};

describe('cursors', () => {
  it('decode to the key they were made from, unicode included', () => {
    const cursor = encodeCursor('items', ['crème brûlée ✓', 42]);

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor('items', cursor, 2)).toEqual(['crème brûlée ✓', 42]);
  });

  it('of another connection are refused, so a users cursor cannot select a slice of products', () => {
    expect(() => decodeCursor('items', encodeCursor('users', ['a', 1]), 2, 'before')).toThrow(
      expect.objectContaining({ category: 'InvalidInput', name: 'InvalidCursor', details: { field: 'before' } }),
    );
  });

  it.each([
    ['not base64', 'not a cursor!'],
    ['empty', ''],
    ['not JSON', Buffer.from('hello').toString('base64url')],
    ['JSON of another shape', Buffer.from('[1,2]').toString('base64url')],
    ['a value that is no scalar', Buffer.from('{"c":"items","k":[{},1]}').toString('base64url')],
    ['padded base64', `${encodeCursor('items', ['a', 1])}==`],
  ])('that are garbage (%s) are refused as invalid input on the argument', (_, cursor) => {
    expect(() => decodeCursor('items', cursor, 2)).toThrow(
      expect.objectContaining({ category: 'InvalidInput', name: 'InvalidCursor', details: { field: 'after' } }),
    );
  });

  it('with the wrong number of key values are refused', () => {
    expect(() => decodeCursor('items', encodeCursor('items', ['a']), 2)).toThrow(
      expect.objectContaining({ name: 'InvalidCursor' }),
    );
  });
});

describe('page requests', () => {
  it('page forward by 20 when neither first nor last is given', () => {
    expect(pageRequest('items', {}, 2)).toEqual({
      connection: 'items',
      first: 20,
      last: null,
      after: null,
      before: null,
    });
    expect(pageRequest('items', { first: null, last: null }, 2, { defaultSize: 5 }).first).toBe(5);
  });

  it('decode both cursors and keep first and last together, as the spec allows', () => {
    const request = pageRequest(
      'items',
      { first: 3, last: 2, after: cursorOf({ name: 'a', id: 1 }), before: cursorOf({ name: 'z', id: 9 }) },
      2,
    );

    expect(request).toEqual({ connection: 'items', first: 3, last: 2, after: ['a', 1], before: ['z', 9] });
  });

  it.each([
    ['first', { first: -1 }],
    ['last', { last: -1 }],
    ['first', { first: 101 }],
    ['last', { last: 101 }],
    ['first', { first: 1.5 }],
  ])('refuse a %s that is negative, fractional or above the maximum, naming it (%j)', (field, args) => {
    expect(() => pageRequest('items', args, 2)).toThrow(
      expect.objectContaining({ category: 'InvalidInput', name: 'InvalidPageSize', details: { field } }),
    );
  });

  it('accept 0 and exactly the maximum', () => {
    expect(pageRequest('items', { first: 0, last: 10 }, 2, { maxSize: 10 })).toMatchObject({ first: 0, last: 10 });
  });

  it('name the cursor argument that is bad', () => {
    expect(() => pageRequest('items', { before: 'garbage!' }, 2)).toThrow(
      expect.objectContaining({ details: { field: 'before' } }),
    );
  });
});

describe.each([0, 1, 7, 25])('a connection over %i items', (n) => {
  const items = itemsOf(n);
  const page = pagerOver(items);
  const sizes = Array.from({ length: n + 1 }, (_, i) => i + 1);

  it.each(sizes)('paged forward %i at a time yields every item once, in order, without an empty last page', (size) => {
    expect(walkForward(page, size)).toEqual({ seen: items, pages: Math.max(1, Math.ceil(n / size)) });
  });

  it.each(sizes)('paged backward %i at a time yields every item once, in order', (size) => {
    expect(walkBackward(page, size)).toEqual({ seen: items, pages: Math.max(1, Math.ceil(n / size)) });
  });

  it('with first and last together keeps the last `last` of the first `first`, both flags exact', () => {
    for (const first of [0, 1, 3, n]) {
      for (const last of [0, 1, 3, n + 1]) {
        const connection = page({ first, last });
        const firsts = items.slice(0, first);

        expect(nodes(connection)).toEqual(firsts.slice(Math.max(0, firsts.length - last)));
        expect(connection.pageInfo).toMatchObject({ hasNextPage: n > first, hasPreviousPage: n > last });
        expectConsistentCursors(connection);
      }
    }
  });

  it('between an after and a before cursor holds exactly the items strictly between them', () => {
    items.forEach((low, i) =>
      items.slice(i + 1).forEach((high, offset) => {
        const between = items.slice(i + 1, i + 1 + offset);
        const cursors = { after: cursorOf(low), before: cursorOf(high) };

        expect(nodes(page({ ...cursors, first: 100 }))).toEqual(between);
        expect(nodes(page({ ...cursors, last: 100 }))).toEqual(between);
        expect(page({ ...cursors, first: 2 }).pageInfo.hasNextPage).toBe(between.length > 2);
        expect(page({ ...cursors, last: 2 }).pageInfo.hasPreviousPage).toBe(between.length > 2);
      }),
    );
  });
});

describe('an empty page', () => {
  it('has no edges, both flags false and null cursors', () => {
    for (const args of [{ first: 5 }, { last: 5 }, { first: 0 }, { first: 5, last: 5 }]) {
      expect(pagerOver([])(args)).toEqual({
        edges: [],
        pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
      });
    }
  });
});

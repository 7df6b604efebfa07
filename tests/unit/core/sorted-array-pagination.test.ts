import {
  connectionFromSortedArray,
  decodeCursor,
  encodeCursor,
  pageRequest,
  type Connection,
  type CursorKey,
  type PageArgs,
} from '../../../src/core/pagination.ts';

// A list held in memory (one product's batches, a fake's rows): its key may start with null (a batch with no ETA),
// and it may arrive in any order.
type Batch = { readonly eta: string | null; readonly reference: string };

const keyOf = (batch: Batch): CursorKey => [batch.eta, batch.reference];
const cursorOf = (batch: Batch) => encodeCursor('batches', keyOf(batch));
const references = (connection: Connection<Batch>) => connection.edges.map((edge) => edge.node.reference);

const inStock: Batch = { eta: null, reference: 'in-stock' };
const alsoInStock: Batch = { eta: null, reference: 'spare' };
const march: Batch = { eta: '2027-03-01', reference: 'march' };
const marchLater: Batch = { eta: '2027-03-01', reference: 'zeta' };
const may: Batch = { eta: '2027-05-01', reference: 'may' };
// Natural order: null first, then ETA, then reference as the tie-breaker.
const ordered = [inStock, alsoInStock, march, marchLater, may];
const shuffled = [may, inStock, marchLater, alsoInStock, march];

const page = (args: PageArgs, all: readonly Batch[] = shuffled) =>
  connectionFromSortedArray(all, pageRequest('batches', args, 2), keyOf);

describe('a connection over a list in memory', () => {
  it('sorts by its key: null first, then values in order, ties broken by the next key value', () => {
    expect(references(page({ first: 10 }))).toEqual(ordered.map((batch) => batch.reference));
  });

  it('orders numbers as numbers, not as text', () => {
    const numbered = [10, 9, 100, -1].map((n) => ({ n }));
    const request = pageRequest('numbers', { first: 10 }, 1);

    const connection = connectionFromSortedArray(numbered, request, ({ n }) => [n]);

    expect(connection.edges.map((edge) => edge.node.n)).toEqual([-1, 9, 10, 100]);
  });

  it('puts null before any number, negative ones included', () => {
    const rows = [{ n: -5 }, { n: null }, { n: 0 }];
    const request = pageRequest('numbers', { first: 10 }, 1);

    expect(connectionFromSortedArray(rows, request, ({ n }) => [n]).edges.map((edge) => edge.node.n)).toEqual([
      null,
      -5,
      0,
    ]);
  });

  it('keeps the order the key gives for equal keys of different lengths: the shorter one first', () => {
    const rows = [{ key: ['a', 'b'] }, { key: ['a'] }];
    const request = pageRequest('rows', { first: 10 }, 2);

    expect(connectionFromSortedArray(rows, request, ({ key }) => key).edges.map((edge) => edge.node.key)).toEqual([
      ['a'],
      ['a', 'b'],
    ]);
  });

  it('pages forward after a cursor whose key starts with null, strictly after it', () => {
    const connection = page({ first: 2, after: cursorOf(inStock) });

    expect(references(connection)).toEqual(['spare', 'march']);
    expect(connection.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: cursorOf(alsoInStock),
      endCursor: cursorOf(march),
    });
  });

  it('reaches the end without an empty extra page', () => {
    const connection = page({ first: 2, after: cursorOf(march) });

    expect(references(connection)).toEqual(['zeta', 'may']);
    expect(connection.pageInfo.hasNextPage).toBe(false);
  });

  it('pages backward from a cursor, strictly before it, in natural order', () => {
    const connection = page({ last: 2, before: cursorOf(marchLater) });

    expect(references(connection)).toEqual(['spare', 'march']);
    expect(connection.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(references(page({ last: 2, before: cursorOf(alsoInStock) }))).toEqual(['in-stock']);
    expect(page({ last: 2, before: cursorOf(alsoInStock) }).pageInfo.hasPreviousPage).toBe(false);
  });

  it('returns exactly the rows strictly between two cursors', () => {
    expect(references(page({ first: 10, after: cursorOf(alsoInStock), before: cursorOf(may) }))).toEqual([
      'march',
      'zeta',
    ]);
    expect(references(page({ last: 10, after: cursorOf(inStock), before: cursorOf(march) }))).toEqual(['spare']);
  });

  it('treats a cursor between two rows (its row since gone) like the gap it points at', () => {
    const gone = cursorOf({ eta: '2027-04-01', reference: 'april' });

    expect(references(page({ first: 10, after: gone }))).toEqual(['may']);
    expect(references(page({ last: 10, before: gone }))).toEqual(['in-stock', 'spare', 'march', 'zeta']);
  });

  it('fetches one more row than the page with first and last together, so both flags are exact', () => {
    const connection = page({ first: 3, last: 2 });

    expect(references(connection)).toEqual(['spare', 'march']);
    expect(connection.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expect(page({ first: 5, last: 5 }).pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
  });

  it('leaves the list it was given as it was', () => {
    const given = [...shuffled];

    page({ first: 10 });

    expect(given).toEqual(shuffled);
  });
});

describe('a forged cursor', () => {
  const forged = (json: string) => Buffer.from(json, 'utf8').toString('base64url');

  it.each([
    ['the JSON null', forged('null')],
    ['a boolean key value', forged('{"c":"batches","k":[true,"x"]}')],
    ['a number too large to be finite', forged('{"c":"batches","k":[1e999,"x"]}')],
    ['a nested array', forged('{"c":"batches","k":[["a"],"x"]}')],
    ['a NUL character, which Postgres text cannot hold', forged('{"c":"batches","k":["a\\u0000","x"]}')],
    ['a connection name that is no string', forged('{"c":1,"k":["a","x"]}')],
    ['a key that is no array', forged('{"c":"batches","k":"a"}')],
  ])('with %s is refused as invalid input on its argument', (_, cursor) => {
    expect(() => decodeCursor('batches', cursor, 2, 'before')).toThrow(
      expect.objectContaining({ category: 'InvalidInput', name: 'InvalidCursor', details: { field: 'before' } }),
    );
  });

  it('explains itself without echoing the cursor', () => {
    for (const json of ['null', '"a string"', '{"c":1,"k":["a","x"]}', '{"c":"batches","k":"a"}']) {
      expect(() => decodeCursor('batches', forged(json), 2)).toThrow(
        'The after cursor is not a cursor this server issued',
      );
    }
    expect(() => decodeCursor('batches', encodeCursor('users', ['a', 'b']), 2)).toThrow(
      'The after cursor belongs to another list, not batches',
    );
    expect(() => decodeCursor('batches', encodeCursor('batches', ['a']), 2)).toThrow(
      'The after cursor does not fit batches',
    );
  });

  it('is accepted when it holds null, a finite number or an empty string: keys that real rows have', () => {
    expect(decodeCursor('batches', encodeCursor('batches', [null, 'x']), 2)).toEqual([null, 'x']);
    expect(decodeCursor('batches', encodeCursor('batches', [-2.5, '']), 2)).toEqual([-2.5, '']);
  });
});

describe('a page size', () => {
  it.each([
    ['first', { first: 11 }],
    ['last', { last: 11 }],
    ['last', { last: 0.5 }],
  ])('out of range names %s and the allowed range in its message', (field, args) => {
    expect(() => pageRequest('batches', args, 2, { maxSize: 10 })).toThrow(
      expect.objectContaining({ message: `${field} must be an integer from 0 to 10`, details: { field } }),
    );
  });

  it('of last alone reads backward without a default first', () => {
    expect(pageRequest('batches', { last: 3 }, 2)).toEqual({
      connection: 'batches',
      first: null,
      last: 3,
      after: null,
      before: null,
    });
  });
});

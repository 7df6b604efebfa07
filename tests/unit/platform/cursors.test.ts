import { makeExecutableSchema } from '@graphql-tools/schema';
import { graphql, type GraphQLSchema } from 'graphql';
import {
  createCursorSigner,
  ephemeralCursorKeys,
  type CursorBinding,
  type CursorSigner,
} from '../../../src/platform/graphql/cursors/signing.ts';
import { applyCursorSigning } from '../../../src/platform/graphql/cursors/transform.ts';

const KEY = 'k'.repeat(32);
const OLD_KEY = 'o'.repeat(32);
const BINDING: CursorBinding = { field: 'Query.things', order: '{"orderBy":{"field":"NAME"}}', caller: 'ada' };

describe('the cursor signer', () => {
  const signer = createCursorSigner({ currentKeyId: 'c2', keys: new Map([['c2', KEY]]) });

  it('gives back the inner cursor of one it signed, for the same binding', () => {
    const signed = signer.sign('inner-cursor', BINDING);

    expect(signed).toMatch(/^inner-cursor\.c2\.[A-Za-z0-9_-]{22}$/);
    expect(signer.verify(signed, BINDING)).toBe('inner-cursor');
  });

  it.each([
    ['another connection field', { ...BINDING, field: 'Query.others' }],
    ['another order', { ...BINDING, order: '{"orderBy":{"field":"CREATED_AT"}}' }],
    ['another caller', { ...BINDING, caller: 'bob' }],
    ['an anonymous caller', { ...BINDING, caller: '' }],
  ])('refuses it for %s', (_case, binding) => {
    expect(signer.verify(signer.sign('inner-cursor', BINDING), binding)).toBeNull();
  });

  it('refuses every one-character edit of a signed cursor, and garbage', () => {
    const signed = signer.sign('eyJjIjoicHJvZHVjdHMiLCJrIjpbIkEiLCJBIl19', BINDING);
    const edits = [...signed].map((character, index) => {
      const replaced = character === 'A' ? 'B' : 'A';
      return signed.slice(0, index) + replaced + signed.slice(index + 1);
    });

    expect(edits.filter((edited) => signer.verify(edited, BINDING) !== null)).toEqual([]);
    for (const garbage of ['', '.', '..', 'a.b', 'a.c2.', '.c2.AAAAAAAAAAAAAAAAAAAAAA', `${signed}=`, `${signed}.x`]) {
      expect(signer.verify(garbage, BINDING)).toBeNull();
    }
  });

  it('accepts cursors of a previous key after a rotation, signs new ones with the current key, forgets dropped keys', () => {
    const before = createCursorSigner({ currentKeyId: 'c1', keys: new Map([['c1', OLD_KEY]]) });
    const rotated = createCursorSigner({
      currentKeyId: 'c2',
      keys: new Map([
        ['c1', OLD_KEY],
        ['c2', KEY],
      ]),
    });
    const old = before.sign('inner', BINDING);

    expect(rotated.verify(old, BINDING)).toBe('inner');
    expect(rotated.sign('inner', BINDING)).toMatch(/\.c2\./);
    expect(signer.verify(old, BINDING)).toBeNull();
  });

  it('refuses keys shorter than 256 bits, a bad key id, or a current key it does not hold', () => {
    expect(() => createCursorSigner({ currentKeyId: 'c1', keys: new Map([['c1', 'short']]) })).toThrow('32 bytes');
    expect(() => createCursorSigner({ currentKeyId: 'c.1', keys: new Map([['c.1', KEY]]) })).toThrow('key id');
    expect(() => createCursorSigner({ currentKeyId: 'c3', keys: new Map([['c1', KEY]]) })).toThrow('c3');
  });
});

describe('the cursor schema transform', () => {
  const SDL = `
    enum Field { NAME AGE }
    input Order { field: Field! }
    type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
    type Thing { name: String! friends(first: Int, after: String): ThingConnection! }
    type ThingEdge { cursor: String! node: Thing! }
    type ThingConnection { edges: [ThingEdge!]! pageInfo: PageInfo! }
    type Query {
      things(first: Int, after: String, last: Int, before: String, orderBy: Order = { field: NAME }): ThingConnection!
      others(after: String): ThingConnection!
    }`;
  /** Each resolver answers a page whose cursors are "<field>:<after>:<n>", and records the `after` it was given. */
  const seen: Array<string | null> = [];
  const page = (field: string, after: string | null | undefined) => {
    seen.push(after ?? null);
    const edges = [1, 2].map((n) => ({ cursor: `${field}:${after ?? ''}:${n}`, node: { name: `${field}${n}` } }));
    return {
      edges,
      pageInfo: {
        hasNextPage: true,
        hasPreviousPage: false,
        startCursor: edges[0]!.cursor,
        endCursor: edges[1]!.cursor,
      },
    };
  };
  const build = (signer: CursorSigner): GraphQLSchema =>
    applyCursorSigning(
      makeExecutableSchema({
        typeDefs: SDL,
        resolvers: {
          Query: {
            things: (_: unknown, { after }: { after?: string }) => page('things', after),
            others: (_: unknown, { after }: { after?: string }) => page('others', after),
          },
          Thing: { friends: ({ name }: { name: string }, { after }: { after?: string }) => page(name, after) },
        },
      }),
      signer,
    );
  const signer = createCursorSigner(ephemeralCursorKeys());
  const schema = build(signer);
  const run = (source: string, variables: Record<string, unknown> = {}, userId = 'ada') =>
    graphql({ schema, source, variableValues: variables, contextValue: { viewer: { userId, sessionId: 's' } } });
  const THINGS = `query ($after: String, $orderBy: Order) {
    things(first: 2, after: $after, orderBy: $orderBy) { edges { cursor } pageInfo { startCursor endCursor } }
  }`;
  const cursorsOf = (data: unknown) => {
    const { edges, pageInfo } = (
      data as { things: { edges: Array<{ cursor: string }>; pageInfo: Record<string, string> } }
    ).things;
    return { edges: edges.map((edge) => edge.cursor), start: pageInfo.startCursor!, end: pageInfo.endCursor! };
  };

  beforeEach(() => seen.splice(0));

  it('signs every cursor it hands out, edges and page info alike, for the field, its order and the caller', async () => {
    const { data, errors } = await run(THINGS);
    const cursors = cursorsOf(data);
    const binding = { field: 'Query.things', order: '{"orderBy":{"field":"NAME"}}', caller: 'ada' };

    expect(errors).toBeUndefined();
    expect([...cursors.edges, cursors.start, cursors.end].map((cursor) => signer.verify(cursor, binding))).toEqual([
      'things::1',
      'things::2',
      'things::1',
      'things::2',
    ]);
  });

  it('hands the resolver the inner cursor of a signed one, so the next page follows', async () => {
    const { end } = cursorsOf((await run(THINGS)).data);

    const next = await run(THINGS, { after: end });

    expect(next.errors).toBeUndefined();
    expect(seen).toEqual([null, 'things::2']);
  });

  it.each([
    [
      'a cursor of another connection field',
      async () =>
        cursorsOf((await run('{ things: others { edges { cursor } pageInfo { startCursor endCursor } } }')).data).end,
      {},
      'ada',
    ],
    [
      'a cursor of another order',
      async () => cursorsOf((await run(THINGS)).data).end,
      { orderBy: { field: 'AGE' } },
      'ada',
    ],
    ['a cursor of another caller', async () => cursorsOf((await run(THINGS)).data).end, {}, 'bob'],
    ['an inner cursor, unsigned', async () => 'things::2', {}, 'ada'],
  ])('refuses %s as BAD input on after, before the resolver runs', async (_case, cursor, extra, caller) => {
    const after = await cursor();
    seen.splice(0);

    const { data, errors } = await run(THINGS, { after, ...extra }, caller);

    expect(data).toBeNull();
    expect(errors?.[0]?.originalError).toMatchObject({ category: 'InvalidInput', details: { field: 'after' } });
    expect(seen).toEqual([]);
  });

  it('binds the default order and the same order spelled out alike', async () => {
    const { end } = cursorsOf((await run(THINGS)).data);
    expect((await run(THINGS, { after: end, orderBy: { field: 'NAME' } })).errors).toBeUndefined();
  });

  it('signs nested connections per occurrence: a cursor of one parent’s list works on the same field of another', async () => {
    const { data } = await run('{ things { edges { node { friends { edges { cursor } } } } } }');
    const nested = (data as { things: { edges: Array<{ node: { friends: { edges: Array<{ cursor: string }> } } }> } })
      .things.edges;
    const binding = { field: 'Thing.friends', order: '', caller: 'ada' };

    expect(nested.map((edge) => signer.verify(edge.node.friends.edges[0]!.cursor, binding))).toEqual([
      'things1::1',
      'things2::1',
    ]);
  });

  it('refuses the cursors of a server with other keys', async () => {
    const { end } = cursorsOf((await run(THINGS)).data);
    const elsewhere = build(createCursorSigner(ephemeralCursorKeys()));

    const { errors } = await graphql({
      schema: elsewhere,
      source: THINGS,
      variableValues: { after: end },
      contextValue: { viewer: { userId: 'ada', sessionId: 's' } },
    });

    expect(errors?.[0]?.originalError).toMatchObject({ name: 'InvalidCursor', details: { field: 'after' } });
  });
});

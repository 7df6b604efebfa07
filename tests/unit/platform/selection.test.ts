import { buildSchema, graphql, type GraphQLResolveInfo } from 'graphql';
import {
  argumentsKey,
  connectionNodes,
  isSelected,
  selectionsAt,
  sharedArguments,
  type Selection,
} from '../../../src/core/selection.ts';
import { selectionOf } from '../../../src/platform/graphql/selection.ts';

const schema = buildSchema(`
  type Query { things(first: Int): ThingConnection! }
  type ThingConnection { totalCount: Int! edges: [ThingEdge!]! }
  type ThingEdge { cursor: String! node: Thing! }
  interface Named { name: String! }
  type Thing implements Named { name: String! parts(first: Int, last: Int): PartConnection! }
  type PartConnection { totalCount: Int! edges: [PartEdge!]! }
  type PartEdge { node: Part! }
  type Part { id: ID! }
`);

/** What `things` sees of `document`, through the real graphql-js execution. */
const selectionFor = async (document: string, variableValues: Record<string, unknown> = {}): Promise<Selection> => {
  let seen: Selection | undefined;
  const result = await graphql({
    schema,
    source: document,
    variableValues,
    rootValue: {
      things: (_args: unknown, _context: unknown, info: GraphQLResolveInfo) => {
        seen = selectionOf(info);
        return { totalCount: 0, edges: [] };
      },
    },
  });
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return seen!;
};

describe('what a client selected beneath a field, as plain data', () => {
  it('lists nested fields with their arguments as resolvers get them (variables resolved)', async () => {
    const selection = await selectionFor(
      'query ($n: Int) { things { totalCount edges { node { name parts(first: $n) { totalCount } } } } }',
      { n: 3 },
    );

    expect(isSelected(selection, ['totalCount'])).toBe(true);
    expect(isSelected(selection, ['edges', 'cursor'])).toBe(false);
    const nodes = connectionNodes(selection);
    expect(Object.keys(nodes).sort()).toEqual(['name', 'parts']);
    expect(selectionsAt(nodes, ['parts']).map((each) => each.arguments)).toEqual([{ first: 3 }]);
    expect(isSelected(nodes, ['parts', 'totalCount'])).toBe(true);
  });

  it('sees through named and inline fragments, and merges what aliases ask for', async () => {
    const selection = await selectionFor(`
      query { things { edges { node { ...Parts ... on Named { name } } } alias: edges { node { parts(first: 2) { edges { node { id } } } } } } }
      fragment Parts on Thing { parts(first: 2) { totalCount } }`);

    const nodes = connectionNodes(selection);
    expect(isSelected(nodes, ['name'])).toBe(true);
    const parts = selectionsAt(nodes, ['parts']);
    expect(parts).toHaveLength(2);
    expect(sharedArguments(parts)).toEqual({ first: 2 });
    expect(isSelected(nodes, ['parts', 'totalCount'])).toBe(true);
    expect(isSelected(nodes, ['parts', 'edges', 'node', 'id'])).toBe(true);
  });

  it('leaves out what @skip and @include leave out', async () => {
    const selection = await selectionFor(
      'query ($no: Boolean!) { things { totalCount @skip(if: true) edges @include(if: $no) { cursor } } }',
      { no: false },
    );
    expect(selection).toEqual({});
  });

  it('has no shared arguments when aliases ask for the same field with different ones', async () => {
    const selection = await selectionFor(
      '{ things { edges { node { a: parts(first: 1) { totalCount } b: parts(last: 1) { totalCount } } } } }',
    );
    expect(sharedArguments(selectionsAt(connectionNodes(selection), ['parts']))).toBeNull();
  });

  it('writes the same key for the same arguments, whatever their order, absent or null alike', () => {
    expect(argumentsKey({ first: 2, after: null })).toBe(argumentsKey({ first: 2 }));
    expect(argumentsKey({ last: 1, first: 2 })).toBe(argumentsKey({ first: 2, last: 1 }));
    expect(argumentsKey({ first: 2 })).not.toBe(argumentsKey({ first: 3 }));
  });
});

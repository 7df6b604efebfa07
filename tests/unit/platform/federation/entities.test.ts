import type { EntityResolvers, RequestContext } from '../../../../src/platform/graphql/context.ts';
import { referenceResolvers } from '../../../../src/platform/graphql/federation/entities.ts';
import { callerContext } from '../../../support/request-context.ts';

/** Entities whose lookups are recorded: one call per batch, with the keys it got. */
const recordingEntities = () => {
  const calls: Array<{ type: string; keys: readonly string[] }> = [];
  const entities: EntityResolvers = {
    Thing: {
      key: 'name',
      resolve: async (keys) => {
        calls.push({ type: 'Thing', keys });
        return keys.map((name) => (name.startsWith('hidden') ? null : { name }));
      },
    },
    Gadget: {
      key: 'id',
      resolve: async (keys) => {
        calls.push({ type: 'Gadget', keys });
        return keys.map((id) => ({ id }));
      },
    },
  };
  return { calls, resolvers: referenceResolvers(entities) };
};

const request = (): RequestContext => callerContext(null) as RequestContext;

describe('resolving a router’s references', () => {
  it('looks up every reference of a type asked for in the same tick in one call, answering each in order', async () => {
    const { calls, resolvers } = recordingEntities();
    const context = request();

    const answers = await Promise.all([
      resolvers.Thing!.__resolveReference({ __typename: 'Thing', name: 'a' }, context),
      resolvers.Gadget!.__resolveReference({ __typename: 'Gadget', id: 'g1' }, context),
      resolvers.Thing!.__resolveReference({ __typename: 'Thing', name: 'hidden-b' }, context),
      resolvers.Thing!.__resolveReference({ __typename: 'Thing', name: 'c' }, context),
    ]);

    expect(answers).toEqual([{ name: 'a' }, { id: 'g1' }, null, { name: 'c' }]);
    expect(calls).toEqual([
      { type: 'Thing', keys: ['a', 'hidden-b', 'c'] },
      { type: 'Gadget', keys: ['g1'] },
    ]);
  });

  it('never mixes two requests in one lookup', async () => {
    const { calls, resolvers } = recordingEntities();

    await Promise.all([
      resolvers.Thing!.__resolveReference({ __typename: 'Thing', name: 'a' }, request()),
      resolvers.Thing!.__resolveReference({ __typename: 'Thing', name: 'b' }, request()),
    ]);

    expect(calls).toEqual([
      { type: 'Thing', keys: ['a'] },
      { type: 'Thing', keys: ['b'] },
    ]);
  });

  it('does not remember an answer: a later tick of the same request looks up again', async () => {
    const { calls, resolvers } = recordingEntities();
    const context = request();

    await resolvers.Thing!.__resolveReference({ __typename: 'Thing', name: 'a' }, context);
    await resolvers.Thing!.__resolveReference({ __typename: 'Thing', name: 'a' }, context);

    expect(calls).toHaveLength(2);
  });

  it.each([
    ['without its key', {}],
    ['with a key that is not a string', { name: 7 }],
    ['with an empty key', { name: '' }],
    ['with a key Postgres could not compare', { name: 'a\u0000b' }],
  ])('answers null for a reference %s, looking nothing up', async (_case, fields) => {
    const { calls, resolvers } = recordingEntities();

    expect(await resolvers.Thing!.__resolveReference({ __typename: 'Thing', ...fields }, request())).toBeNull();
    expect(calls).toEqual([]);
  });
});

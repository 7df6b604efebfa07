import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLError, parse, type ExecutionResult } from 'graphql';
import { createFollower } from '../../../../src/platform/subscriptions/follower.ts';
import { subscribeWithFreshContexts } from '../../../../src/platform/subscriptions/deliveries.ts';

/**
 * A one-field schema: `box(key)` follows a queue the test pushes changes to; each change resolves to what the
 * context of its delivery says (its generation), so a test sees which context each delivery ran with.
 */
type Context = { readonly generation: number; readonly hidden: ReadonlySet<string>; readonly gone: boolean };
const setUp = () => {
  const follower = createFollower(100, () => undefined);
  const schema = makeExecutableSchema({
    typeDefs: `
      type Box { key: String!, generation: Int!, label: String! }
      type Query { ok: Boolean }
      type Subscription { box(key: String!): Box }`,
    resolvers: {
      Subscription: {
        box: {
          subscribe: () => follower.iterator,
          resolve: (change: { key: string }, _args: unknown, context: Context) => {
            if (context.gone) throw new GraphQLError('gone', { extensions: { code: 'NOT_FOUND' } });
            return context.hidden.has(change.key) ? null : { key: change.key, generation: context.generation };
          },
        },
      },
      Box: {
        label: ({ key }: { key: string }) => {
          if (key === 'broken') throw new GraphQLError('no label', { extensions: { code: 'FORBIDDEN' } });
          return `box ${key}`;
        },
      },
    },
  });
  let generation = 0;
  let state: { hidden: ReadonlySet<string>; gone: boolean } = { hidden: new Set(), gone: false };
  const contexts: unknown[] = [];
  const subscribe = async (selection = 'key generation') => {
    const result = await subscribeWithFreshContexts(
      { schema, document: parse(`subscription { box(key: "any") { ${selection} } }`), contextValue: { generation: 0 } },
      (change) => {
        contexts.push(change);
        return { generation: ++generation, ...state };
      },
    );
    if (!(Symbol.asyncIterator in result)) throw new Error(JSON.stringify(result));
    return result as AsyncIterableIterator<ExecutionResult>;
  };
  return { follower, subscribe, contexts, set: (next: Partial<typeof state>) => (state = { ...state, ...next }) };
};

describe('deliveries, each with a context of its own', () => {
  test('executes every change with a context made for it, handed the change', async () => {
    const { follower, subscribe, contexts } = setUp();
    const results = await subscribe();
    const first = { key: 'a' };
    follower.push(first);
    follower.push({ key: 'b' });

    expect(await results.next()).toEqual({ done: false, value: { data: { box: { key: 'a', generation: 1 } } } });
    expect(await results.next()).toEqual({ done: false, value: { data: { box: { key: 'b', generation: 2 } } } });
    expect(contexts[0]).toBe(first);
  });

  test('sends nothing for a change its field resolves to null (gone, or hidden from this caller)', async () => {
    const { follower, subscribe, set } = setUp();
    const results = await subscribe();
    set({ hidden: new Set(['secret']) });
    follower.push({ key: 'secret' });
    follower.push({ key: 'open' });

    expect(await results.next()).toEqual({ done: false, value: { data: { box: { key: 'open', generation: 2 } } } });
  });

  test('delivers nested errors as a query would answer them', async () => {
    const { follower, subscribe } = setUp();
    const results = await subscribe('key label');
    follower.push({ key: 'broken' });

    const { value } = await results.next();
    expect(value).toMatchObject({ data: { box: null }, errors: [{ message: 'no label', path: ['box', 'label'] }] });
  });

  test('an error on the field itself ends the subscription with it, and lets the source go', async () => {
    const { follower, subscribe, set } = setUp();
    const results = await subscribe();
    set({ gone: true });
    follower.push({ key: 'a' });

    await expect(results.next()).rejects.toMatchObject({ message: 'gone', path: ['box'] });
    expect(await results.next()).toEqual({ done: true, value: undefined });
    // The source was returned: it takes no more changes.
    follower.push({ key: 'b' });
    expect(await follower.iterator.next()).toEqual({ done: true, value: undefined });
  });

  test('return() ends it at once while it waits for a change, and ends its source', async () => {
    const { follower, subscribe } = setUp();
    const results = await subscribe();
    const waiting = results.next();
    await new Promise((resolve) => setImmediate(resolve));

    await results.return?.();

    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(await follower.iterator.next()).toEqual({ done: true, value: undefined });
  });

  test('an error of the source (SUBSCRIPTION_INTERRUPTED) ends the subscription with that error', async () => {
    const { follower, subscribe } = setUp();
    const results = await subscribe();
    const waiting = results.next();
    const interrupted = new GraphQLError('interrupted', { extensions: { code: 'SUBSCRIPTION_INTERRUPTED' } });
    follower.fail(interrupted);

    await expect(waiting).rejects.toBe(interrupted);
    expect(await results.next()).toEqual({ done: true, value: undefined });
  });

  test('a refusal when subscribing comes back as a result with errors, as graphql-js answers it', async () => {
    const schema = makeExecutableSchema({
      typeDefs: 'type Query { ok: Boolean } type Subscription { box: String }',
      resolvers: {
        Subscription: {
          box: {
            subscribe: () => {
              throw new GraphQLError('nope', { extensions: { code: 'FORBIDDEN' } });
            },
          },
        },
      },
    });
    const result = await subscribeWithFreshContexts({ schema, document: parse('subscription { box }') }, () => ({}));
    expect(result).toMatchObject({ errors: [{ message: 'nope', path: ['box'], extensions: { code: 'FORBIDDEN' } }] });
  });
});

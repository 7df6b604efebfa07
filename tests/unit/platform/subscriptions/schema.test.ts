import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, subscribe, validateSchema, type ExecutionResult } from 'graphql';
import { permissionsFrom, type Policy } from '../../../../src/core/access.ts';
import { DomainError } from '../../../../src/core/errors.ts';
import { createRequestAccess } from '../../../../src/platform/auth/request-access.ts';
import type { AccessSubjects, ChangeSource, SubscriptionFeeds } from '../../../../src/platform/graphql/context.ts';
import { buildSchema, SCHEMA_DIR } from '../../../../src/platform/graphql/schema.ts';
import { subscribeWithFreshContexts } from '../../../../src/platform/subscriptions/deliveries.ts';
import { createFollower, type Follower } from '../../../../src/platform/subscriptions/follower.ts';
import { buildApplicationSchema } from '../../../../src/schema.ts';

const coreSdl = readFileSync(join(SCHEMA_DIR, 'core.graphql'), 'utf8');
const BOXES: Record<string, string> = { a: 'alice', b: 'bob' };
const subjects: AccessSubjects = {
  BOX: {
    ownership: async (key) => ({ exists: key in BOXES, owned: false }),
    notFound: (key) => new DomainError('NotFound', 'BoxNotFound', `No box ${key}`),
  },
};
const sdl = `
  extend enum Resource { BOX }
  type Box { key: String! }
  extend type Query { ok: Boolean @public }
  extend type Mutation { noop: Boolean @public }
  extend type Subscription {
    boxChanged(key: String!): Box @auth(resource: BOX, action: READ, id: "key")
    anyBox: Box @auth(resource: BOX, action: READ)
  }`;
const feeds: SubscriptionFeeds = {
  boxChanged: { argument: 'key', events: {}, read: async ({ key = '' }) => (key in BOXES ? { key } : null) },
  anyBox: { events: {}, read: async ({ key = '' }) => ({ key }) },
};
const schemaOf = (text: string, subscriptions: SubscriptionFeeds = feeds) =>
  buildSchema({ typeDefs: [coreSdl, text], resolvers: [], nodes: {}, subjects, subscriptions });

/** A change source the test feeds by hand, and a context whose permissions it can change between deliveries. */
const setUp = (principal: string | null, policies: Policy[]) => {
  const followers: Follower[] = [];
  const changes: ChangeSource = {
    follow: () => {
      const follower = createFollower(10, () => undefined);
      followers.push(follower);
      return follower.iterator;
    },
  };
  let current = policies;
  const contextValue = () => ({
    access: createRequestAccess(principal, async (userId) => permissionsFrom(userId, [], current)),
    changes,
  });
  return { followers, contextValue, revoke: () => (current = []) };
};
const READ_BOXES: Policy[] = [{ resource: 'BOX', actions: ['READ'], selectors: ['a'] }];

describe('Subscription fields and their feeds, at start-up', () => {
  test("the application schema has inventory's two subscriptions, each fed", () => {
    const type = buildApplicationSchema().getSubscriptionType();
    expect(Object.keys(type?.getFields() ?? {})).toEqual(['productChanged', 'orderAllocations']);
  });

  test.each([
    ['a field nobody feeds', sdl, { anyBox: feeds.anyBox! }, 'Subscription.boxChanged is in the SDL, but no context'],
    [
      'a feed without its field',
      sdl,
      { ...feeds, gone: feeds.anyBox! },
      'Subscription.gone defined in resolvers, but not in schema',
    ],
    [
      'an argument the field does not have',
      sdl,
      { ...feeds, boxChanged: { ...feeds.boxChanged!, argument: 'id' } },
      'followed by "id"',
    ],
    [
      'a nullable argument',
      sdl.replace('boxChanged(key: String!)', 'boxChanged(key: String)'),
      feeds,
      'followed by "key", which must be a String! or ID! argument',
    ],
  ])('%s stops start-up, naming it', (_case, text, subscriptions, message) => {
    expect(() => schemaOf(text, subscriptions as SubscriptionFeeds)).toThrow(message);
  });

  test('a Subscription field without @auth or @public stops start-up, like a query', () => {
    expect(() => schemaOf(sdl.replace(' @auth(resource: BOX, action: READ)\n', '\n'))).toThrow(
      'Subscription.anyBox has neither @public nor @auth',
    );
  });

  test('without any Subscription field, the schema simply has no Subscription type (and is valid)', () => {
    const schema = buildSchema({
      typeDefs: [
        coreSdl,
        'extend enum Resource { BOX } extend type Query { ok: Boolean @public } extend type Mutation { noop: Boolean @public }',
      ],
      resolvers: [],
      nodes: {},
      subjects,
    });
    expect(schema.getSubscriptionType()).toBeUndefined();
    expect(validateSchema(schema)).toEqual([]);
  });
});

describe('@auth on a subscription', () => {
  const schema = schemaOf(sdl);
  const subscribeTo = async (source: string, contextValue: object) =>
    subscribe({ schema, document: parse(source), contextValue });
  const codes = (result: unknown) =>
    ((result as ExecutionResult).errors ?? []).map((error) => [error.path, (error.originalError as DomainError).name]);

  test('an anonymous caller is refused when subscribing (UNAUTHENTICATED), and follows nothing', async () => {
    const { contextValue, followers } = setUp(null, []);
    expect(codes(await subscribeTo('subscription { boxChanged(key: "a") { key } }', contextValue()))).toEqual([
      [['boxChanged'], 'Unauthenticated'],
    ]);
    expect(followers).toEqual([]);
  });

  test('a caller who may not read the instance is refused as if it did not exist (NOT_FOUND, never a null to wait on)', async () => {
    const { contextValue, followers } = setUp('carol', READ_BOXES);
    expect(codes(await subscribeTo('subscription { boxChanged(key: "b") { key } }', contextValue()))).toEqual([
      [['boxChanged'], 'BoxNotFound'],
    ]);
    expect(codes(await subscribeTo('subscription { anyBox { key } }', setUp('carol', []).contextValue()))).toEqual([
      [['anyBox'], 'Forbidden'],
    ]);
    expect(followers).toEqual([]);
  });

  test('an allowed caller follows, and each delivery is checked again: after a revocation, the next one ends it', async () => {
    const { contextValue, followers, revoke } = setUp('carol', READ_BOXES);
    const results = (await subscribeWithFreshContexts(
      { schema, document: parse('subscription { boxChanged(key: "a") { key } }'), contextValue: contextValue() },
      contextValue,
    )) as AsyncIterableIterator<ExecutionResult>;
    expect(followers).toHaveLength(1);

    followers[0]!.push({ key: 'a' });
    expect(await results.next()).toEqual({ done: false, value: { data: { boxChanged: { key: 'a' } } } });

    revoke();
    followers[0]!.push({ key: 'a' });
    await expect(results.next()).rejects.toMatchObject({
      path: ['boxChanged'],
      originalError: { name: 'BoxNotFound' },
    });
    expect(await results.next()).toEqual({ done: true, value: undefined });
  });

  test('outside WebSocket (no change source in the context) a subscription is refused with BAD_REQUEST', async () => {
    const { contextValue } = setUp('carol', READ_BOXES);
    const result = (await subscribeTo('subscription { boxChanged(key: "a") { key } }', {
      ...contextValue(),
      changes: undefined,
    })) as ExecutionResult;
    expect(result.errors?.map((error) => [error.message, error.extensions.code])).toEqual([
      ['Subscriptions are served over WebSocket (graphql-transport-ws) at this same URL', 'BAD_REQUEST'],
    ]);
  });
});

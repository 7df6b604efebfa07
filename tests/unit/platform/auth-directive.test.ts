import type { IResolvers } from '@graphql-tools/utils';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { graphql, type GraphQLSchema } from 'graphql';
import { permissionsFrom, type Ownership, type Policy } from '../../../src/core/access.ts';
import { DomainError } from '../../../src/core/errors.ts';
import { createRequestAccess } from '../../../src/platform/auth/request-access.ts';
import type { GraphQLContext } from '../../../src/contexts.ts';
import type { AccessSubject, AccessSubjects } from '../../../src/platform/graphql/context.ts';
import { createErrorFormatter } from '../../../src/platform/graphql/errors.ts';
import { buildSchema, SCHEMA_DIR } from '../../../src/platform/graphql/schema.ts';
import { buildApplicationSchema } from '../../../src/schema.ts';

const coreSdl = readFileSync(join(SCHEMA_DIR, 'core.graphql'), 'utf8');
const formatError = createErrorFormatter({ exposeInternals: false });

/** Things a (fake) context owns: `a` belongs to alice, `b` to bob; any other key names nothing. */
const OWNERS: Record<string, string> = { a: 'alice', b: 'bob' };
const ownershipLookups: string[] = [];
const things: AccessSubject = {
  ownership: async (key, context): Promise<Ownership> => {
    ownershipLookups.push(key);
    return { exists: key in OWNERS, owned: OWNERS[key] === context.access.principal };
  },
  notFound: (key) => new DomainError('NotFound', 'ThingNotFound', `No thing ${key}`),
};
// The one resource of this test's schema (its SDL adds it to enum Resource, as a context's would).
const subjects: AccessSubjects = { PRODUCT: things };

const sdl = `
  type Thing {
    key: String!
    secret: String @auth(resource: PRODUCT, action: UPDATE, parentKey: "key")
  }
  input ChangeInput { key: String! }
  extend type Query {
    thing(key: String!): Thing @auth(resource: PRODUCT, action: READ, id: "key")
    requiredThing(key: String!): Thing! @auth(resource: PRODUCT, action: READ, id: "key")
    things: [Thing!]! @auth(resource: PRODUCT, action: READ)
  }
  extend type Mutation {
    change(input: ChangeInput!): Boolean @auth(resource: PRODUCT, action: UPDATE, id: "input.key")
    create(input: ChangeInput!): Boolean @auth(resource: PRODUCT, action: CREATE, id: "input.key")
  }`;

const resolved: string[] = [];
const thing = (key: string) => ({ key });
const resolvers = {
  Query: {
    thing: (_: unknown, { key }: { key: string }) => (resolved.push(`thing:${key}`), key in OWNERS ? thing(key) : null),
    requiredThing: (_: unknown, { key }: { key: string }) => (resolved.push(`requiredThing:${key}`), thing(key)),
    things: () => (resolved.push('things'), Object.keys(OWNERS).map(thing)),
  },
  Mutation: {
    change: (_: unknown, { input }: { input: { key: string } }) => (resolved.push(`change:${input.key}`), true),
    create: (_: unknown, { input }: { input: { key: string } }) => (resolved.push(`create:${input.key}`), true),
  },
  Thing: { secret: ({ key }: { key: string }) => `secret of ${key}` },
} satisfies IResolvers;

const schemaFrom = (text: string, map: IResolvers = resolvers): GraphQLSchema =>
  buildSchema({ typeDefs: [coreSdl, 'extend enum Resource { PRODUCT }', text], resolvers: [map], nodes: {}, subjects });
const schema = schemaFrom(sdl);

let permissionLoads = 0;
const run = async (source: string, principal: string | null, policies: Policy[] = []) => {
  const access = createRequestAccess(principal, async (userId) => {
    permissionLoads += 1;
    return permissionsFrom(userId, [], policies);
  });
  const contextValue = {
    access,
    viewer: principal ? { userId: principal, sessionId: 's' } : null,
  } as Partial<GraphQLContext>;
  const result = await graphql({ schema, source, contextValue });
  return {
    data: result.data,
    errors: (result.errors ?? []).map((error) => {
      const formatted = formatError(error.toJSON(), error);
      return { path: formatted.path, message: formatted.message, code: formatted.extensions?.code };
    }),
  };
};

const policy = (actions: Policy['actions'], selectors: string[]): Policy => ({
  resource: 'PRODUCT',
  actions,
  selectors,
});

beforeEach(() => {
  resolved.length = 0;
  ownershipLookups.length = 0;
  permissionLoads = 0;
});

describe('@auth with a resource', () => {
  it('answers UNAUTHENTICATED to anonymous callers before loading anything', async () => {
    const result = await run('{ thing(key: "a") { key } }', null);

    expect(result.errors).toEqual([expect.objectContaining({ path: ['thing'], code: 'UNAUTHENTICATED' })]);
    expect(resolved).toEqual([]);
    expect(permissionLoads).toBe(0);
  });

  describe('a READ of one instance', () => {
    it('answers it to a caller whose selectors name it, or who owns it', async () => {
      expect((await run('{ thing(key: "a") { key } }', 'carol', [policy(['READ'], ['a'])])).data).toEqual({
        thing: { key: 'a' },
      });
      expect((await run('{ thing(key: "a") { key } }', 'alice', [policy(['READ'], ['OWNER'])])).data).toEqual({
        thing: { key: 'a' },
      });
      expect((await run('{ thing(key: "b") { key } }', 'carol', [policy(['READ'], ['*'])])).data).toEqual({
        thing: { key: 'b' },
      });
    });

    it('answers null, without an error and without running the resolver, exactly as for a missing instance', async () => {
      const hidden = await run('{ thing(key: "b") { key } }', 'alice', [policy(['READ'], ['OWNER'])]);
      const missing = await run('{ thing(key: "zzz") { key } }', 'alice', [policy(['READ'], ['*'])]);

      expect(hidden).toEqual({ data: { thing: null }, errors: [] });
      expect(missing).toEqual({ data: { thing: null }, errors: [] });
      expect(resolved).toEqual(['thing:zzz']);
    });

    it("answers the context's own NOT_FOUND on a non-null field", async () => {
      const result = await run('{ requiredThing(key: "b") { key } }', 'alice', [policy(['READ'], ['OWNER'])]);

      expect(result.errors).toEqual([{ path: ['requiredThing'], message: 'No thing b', code: 'NOT_FOUND' }]);
    });

    it('looks ownership up only when an OWNER selector is all that could allow it', async () => {
      await run('{ thing(key: "a") { key } }', 'carol', [policy(['READ'], ['*'])]);
      await run('{ thing(key: "a") { key } }', 'carol', [policy(['READ'], ['a', 'OWNER'])]);
      expect(ownershipLookups).toEqual([]);

      await run('{ thing(key: "b") { key } }', 'carol', [policy(['READ'], ['a', 'OWNER'])]);
      expect(ownershipLookups).toEqual(['b']);
    });
  });

  describe('any other action on one instance', () => {
    it('runs the resolver when allowed', async () => {
      const result = await run('mutation { change(input: { key: "a" }) }', 'carol', [policy(['UPDATE'], ['a'])]);

      expect(result).toEqual({ data: { change: true }, errors: [] });
      expect(resolved).toEqual(['change:a']);
    });

    it('answers FORBIDDEN when the caller may read the instance', async () => {
      const result = await run('mutation { change(input: { key: "b" }) }', 'carol', [
        policy(['READ'], ['*']),
        policy(['UPDATE'], ['a']),
      ]);

      expect(result.errors).toEqual([expect.objectContaining({ path: ['change'], code: 'FORBIDDEN' })]);
      expect(resolved).toEqual([]);
    });

    it('answers NOT_FOUND, the same as for an instance that does not exist, when the caller may not read it', async () => {
      const policies = [policy(['READ', 'UPDATE'], ['OWNER'])];
      const hidden = await run('mutation { change(input: { key: "b" }) }', 'alice', policies);
      const missing = await run('mutation { change(input: { key: "nope" }) }', 'alice', policies);

      expect(hidden.errors).toEqual([{ path: ['change'], message: 'No thing b', code: 'NOT_FOUND' }]);
      expect(missing.errors).toEqual([{ path: ['change'], message: 'No thing nope', code: 'NOT_FOUND' }]);
      expect(resolved).toEqual([]);
    });

    it('lets CREATE with OWNER make a new instance, but not touch one someone else owns', async () => {
      const policies = [policy(['CREATE'], ['OWNER'])];

      expect((await run('mutation { create(input: { key: "new" }) }', 'alice', policies)).data).toEqual({
        create: true,
      });
      expect((await run('mutation { create(input: { key: "a" }) }', 'alice', policies)).data).toEqual({ create: true });
      expect((await run('mutation { create(input: { key: "b" }) }', 'alice', policies)).errors).toEqual([
        { path: ['create'], message: 'You may not create products', code: 'FORBIDDEN' },
      ]);
      expect(resolved).toEqual(['create:new', 'create:a']);
    });

    it('answers a denied CREATE with FORBIDDEN, alike for a key that exists and one that does not', async () => {
      const taken = await run('mutation { create(input: { key: "b" }) }', 'carol', []);
      const free = await run('mutation { create(input: { key: "evil" }) }', 'carol', []);

      expect(taken.errors).toEqual([{ path: ['create'], message: 'You may not create products', code: 'FORBIDDEN' }]);
      expect(free).toEqual(taken);
      expect(resolved).toEqual([]);
    });
  });

  describe('a list', () => {
    it('is FORBIDDEN to a caller who may read no instance at all', async () => {
      const result = await run('{ things { key } }', 'carol', [policy(['UPDATE'], ['*'])]);

      expect(result.errors).toEqual([expect.objectContaining({ path: ['things'], code: 'FORBIDDEN' })]);
      expect(resolved).toEqual([]);
    });

    it('runs its resolver (whose view scopes the rows) for a caller who may read some', async () => {
      const result = await run('{ things { key } }', 'alice', [policy(['READ'], ['OWNER'])]);

      expect(result.errors).toEqual([]);
      expect(resolved).toEqual(['things']);
    });
  });

  describe('an object field keyed by its parent', () => {
    it('answers the field for instances the caller may act on and null with FORBIDDEN for the others', async () => {
      const result = await run('{ things { key secret } }', 'alice', [
        policy(['READ'], ['*']),
        policy(['UPDATE'], ['OWNER']),
      ]);

      expect(result.data).toEqual({
        things: [
          { key: 'a', secret: 'secret of a' },
          { key: 'b', secret: null },
        ],
      });
      expect(result.errors).toEqual([expect.objectContaining({ path: ['things', 1, 'secret'], code: 'FORBIDDEN' })]);
    });
  });

  it('loads the permissions once per request, however many fields and aliases ask', async () => {
    await run(
      '{ one: thing(key: "a") { key secret } two: thing(key: "b") { key secret } things { key secret } }',
      'alice',
      [policy(['READ', 'UPDATE'], ['*'])],
    );

    expect(permissionLoads).toBe(1);
  });
});

describe('@auth rules are checked when the schema loads', () => {
  const refuses = (field: string, pattern: RegExp) =>
    expect(() =>
      schemaFrom(`type Thing { key: String! }\ninput ChangeInput { key: String! maybe: String }\n${field}`, {}),
    ).toThrow(pattern);

  it.each([
    [
      'an id path naming no argument',
      'extend type Query { x(key: String!): Int @auth(resource: PRODUCT, action: READ, id: "sku") }',
      /Query\.x id "sku" names no argument "sku"/,
    ],
    [
      'an id path into a missing input field',
      'extend type Mutation { x(input: ChangeInput!): Int @auth(resource: PRODUCT, action: UPDATE, id: "input.sku") }',
      /Mutation\.x id "input\.sku" names no input field/,
    ],
    [
      'an id path ending at a nullable value',
      'extend type Mutation { x(input: ChangeInput!): Int @auth(resource: PRODUCT, action: UPDATE, id: "input.maybe") }',
      /non-null String or ID/,
    ],
    [
      'a nullable argument on the way',
      'extend type Mutation { x(input: ChangeInput): Int @auth(resource: PRODUCT, action: UPDATE, id: "input.key") }',
      /nullable parent/,
    ],
    [
      'a resource without an action',
      'extend type Query { x: Int @auth(resource: PRODUCT) }',
      /Query\.x needs both resource and action/,
    ],
    [
      'an id without a resource',
      'extend type Query { x(key: String!): Int @auth(id: "key") }',
      /Query\.x has an id or parentKey but no resource/,
    ],
    [
      'parentKey on a root field',
      'extend type Query { x: Int @auth(resource: PRODUCT, action: READ, parentKey: "key") }',
      /root fields have no parent/,
    ],
    [
      'a non-null guarded object field',
      'extend type Thing { guarded: String! @auth(resource: PRODUCT, action: READ, parentKey: "key") }\nextend type Query { t: Thing @public }',
      /Thing\.guarded .* must be nullable/,
    ],
  ])('refuses %s, naming the field', (_name, field, pattern) => {
    refuses(`${field}\nextend type Query { ok: Int @public }\nextend type Mutation { ok: Int @public }`, pattern);
  });

  it('accepts the real schema', () => {
    expect(() => buildApplicationSchema()).not.toThrow();
  });
});

import { jest } from '@jest/globals';
import type { IResolvers } from '@graphql-tools/utils';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { graphql, type GraphQLSchema } from 'graphql';
import { createErrorFormatter } from '../../../src/platform/graphql/errors.ts';
import { buildSchema, loadTypeDefs, SCHEMA_DIR } from '../../../src/platform/graphql/schema.ts';
import { buildApplicationSchema } from '../../../src/schema.ts';
import { callerContext } from '../../support/request-context.ts';

/** Scalars, directives and the empty root types every context extends. */
const coreSdl = readFileSync(join(SCHEMA_DIR, 'core.graphql'), 'utf8');

/** A resource of the test's own, as a context would add one (an enum needs at least one value). */
const thingResource = 'extend enum Resource { THING }';
const thingSubjects = { THING: { ownership: async () => ({ exists: false, owned: false }) } };

const schemaWith = (sdl: string, map: IResolvers = {}): GraphQLSchema =>
  buildSchema({ typeDefs: [coreSdl, thingResource, sdl], resolvers: [map], nodes: {}, subjects: thingSubjects });

/** A Mutation field too: graphql-js refuses to execute against an object type with no fields. */
const guardedMutation = 'extend type Mutation { ping: Boolean @public }';

describe('building the GraphQL schema', () => {
  it('loads the real SDL with every context’s resolvers', () => {
    const schema = buildApplicationSchema();

    expect(schema.getQueryType()?.getFields()).toHaveProperty('product');
    expect(schema.getMutationType()?.getFields()).toHaveProperty('addBatch');
  });

  it('refuses to start when the SDL and the contexts do not list the same resources', () => {
    const withResources = (enumSdl: string, subjects: Record<string, (typeof thingSubjects)['THING']>) => () =>
      buildSchema({
        typeDefs: [coreSdl, enumSdl, `extend type Query { open: String @public }\n${guardedMutation}`],
        resolvers: [],
        nodes: {},
        subjects,
      });

    expect(withResources('extend enum Resource { THING GADGET }', thingSubjects)).toThrow(
      "GADGET is in the SDL's enum Resource, but no context's module declares it",
    );
    expect(withResources(thingResource, { ...thingSubjects, WIDGET: thingSubjects.THING })).toThrow(
      "WIDGET is declared by a context's module, but no SDL adds it to enum Resource",
    );
    expect(withResources(thingResource, thingSubjects)).not.toThrow();
  });

  it('reads every .graphql file under the schema directory, nested ones included, in a stable order', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'kingdom-schema-'));
    try {
      // Enough files that the directory's own listing order is very unlikely to be sorted already.
      const files = ['m', 'c', 'x', 'a', 'q', 'f', 'z', 'k', 'b', 'u', 'nested/n'].map((name) => `${name}.graphql`);
      await mkdir(join(directory, 'nested'));
      for (const file of files) await writeFile(join(directory, file), `# ${file}`);
      await writeFile(join(directory, 'notes.md'), 'not SDL');

      expect(loadTypeDefs(directory)).toEqual([...files].sort().map((file) => `# ${file}`));
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  describe('locked down by default', () => {
    it('refuses a Query field with neither @public nor @auth, naming it', () => {
      expect(() =>
        schemaWith(`extend type Query { open: String @public, secret: String }\n${guardedMutation}`),
      ).toThrow(/Query\.secret has neither @public nor @auth/);
    });

    it('refuses a Mutation field with neither @public nor @auth, naming it', () => {
      expect(() =>
        schemaWith('extend type Query { open: String @public }\nextend type Mutation { wipe: Boolean }'),
      ).toThrow(/Mutation\.wipe has neither/);
    });

    it('refuses a field that is both @public and @auth, naming it', () => {
      expect(() => schemaWith(`extend type Query { confused: String @public @auth }\n${guardedMutation}`)).toThrow(
        /Query\.confused has both @public and @auth/,
      );
    });

    it('names every unguarded field at once, not only the first', () => {
      expect(() =>
        schemaWith('extend type Query { one: String, two: String }\nextend type Mutation { three: Boolean }'),
      ).toThrow(/Query\.one[\s\S]*Query\.two[\s\S]*Mutation\.three/);
    });

    it('does not ask fields of ordinary object types to declare a guard', () => {
      expect(() =>
        schemaWith(`type Thing { name: String }\nextend type Query { thing: Thing @public }\n${guardedMutation}`),
      ).not.toThrow();
    });
  });

  describe('an @auth field', () => {
    const secret = jest.fn(() => 'the secret');
    const schema = schemaWith(`extend type Query { secret: String @auth, open: String @public }\n${guardedMutation}`, {
      Query: { secret, open: () => 'open' },
    });
    const formatError = createErrorFormatter({ exposeInternals: false });

    beforeEach(() => secret.mockClear());

    it('answers UNAUTHENTICATED to an anonymous caller without running its resolver', async () => {
      const result = await graphql({ schema, source: '{ secret }', contextValue: callerContext(null) });

      expect(result.data).toEqual({ secret: null });
      const [error] = result.errors ?? [];
      expect(error && formatError(error.toJSON(), error)).toMatchObject({
        path: ['secret'],
        extensions: { code: 'UNAUTHENTICATED' },
      });
      expect(secret).not.toHaveBeenCalled();
    });

    it('runs its resolver for a signed-in caller', async () => {
      const result = await graphql({ schema, source: '{ secret }', contextValue: callerContext('u-1') });

      expect(result).toEqual({ data: { secret: 'the secret' } });
      expect(secret).toHaveBeenCalledTimes(1);
    });

    it('leaves @public fields open to anonymous callers', async () => {
      const result = await graphql({ schema, source: '{ open }', contextValue: callerContext(null) });

      expect(result).toEqual({ data: { open: 'open' } });
    });

    it('guards a field without a resolver of its own, which then reads its parent as usual', async () => {
      const withoutResolver = schemaWith(`extend type Query { plain: String @auth }\n${guardedMutation}`);
      const run = (principal: string | null) =>
        graphql({
          schema: withoutResolver,
          source: '{ plain }',
          rootValue: { plain: 'from the parent' },
          contextValue: callerContext(principal),
        });

      const anonymous = await run(null);
      const signedIn = await run('u-1');

      expect(anonymous.data).toEqual({ plain: null });
      expect(anonymous.errors?.[0]?.originalError).toMatchObject({ category: 'Unauthenticated' });
      expect(signedIn).toEqual({ data: { plain: 'from the parent' } });
    });
  });

  it('refuses a resolver for a field the SDL does not have, naming it', () => {
    expect(() =>
      schemaWith(`extend type Query { secret: String @auth }\n${guardedMutation}`, {
        Query: { secret: () => 'x', secrte: () => 'typo' },
      }),
    ).toThrow(/Query\.secrte/);
  });
});

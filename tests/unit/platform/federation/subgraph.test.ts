import { getDirective } from '@graphql-tools/utils';
import { isUnionType, lexicographicSortSchema, print, printSchema, printType, type GraphQLSchema } from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EntityResolvers } from '../../../../src/platform/graphql/context.ts';
import { assertEveryRootFieldIsGuarded } from '../../../../src/platform/graphql/auth-rules.ts';
import { ROUTER_FIELDS } from '../../../../src/platform/graphql/federation/router-secret.ts';
import { FEDERATION_SPEC_URL, subgraphDocument } from '../../../../src/platform/graphql/federation/subgraph.ts';
import { buildSchema, SCHEMA_DIR } from '../../../../src/platform/graphql/schema.ts';
import { buildApplicationSchema } from '../../../../src/schema.ts';

const coreSdl = readFileSync(join(SCHEMA_DIR, 'core.graphql'), 'utf8');
const thing = 'type Thing { name: String! label: String maker: Maker } type Maker { id: ID! }';
const roots = 'extend type Query { thing: Thing @public } extend type Mutation { ping: Boolean @public }';
const subjects = { THING: { ownership: async () => ({ exists: false, owned: false }) } };
const resolveNames = async (names: readonly string[]) => names.map((name) => ({ name }));

const subgraphOf = (entities: EntityResolvers, sdl: string = thing): GraphQLSchema =>
  buildSchema(
    { typeDefs: [coreSdl, 'extend enum Resource { THING }', sdl, roots], resolvers: [], nodes: {}, subjects, entities },
    { secretRequired: true },
  );

describe('the subgraph document', () => {
  it('links the federation spec and puts @key on each declared entity type, and on no other', () => {
    const printed = print(subgraphDocument([thing], { Thing: { key: 'name', resolve: resolveNames } }));

    expect(printed).toContain(`extend schema @link(url: "${FEDERATION_SPEC_URL}", import: ["@key"])`);
    expect(printed).toContain('type Thing @key(fields: "name") {');
    expect(printed).toContain('type Maker {');
  });

  it('refuses an entity declared for a type the SDL does not define', () => {
    expect(() => subgraphDocument([thing], { Widget: { key: 'id', resolve: resolveNames } })).toThrow(
      'Entities declared for types the SDL does not define: Widget',
    );
  });
});

describe('the start-up check of a subgraph', () => {
  it('passes a subgraph whose entities all resolve through a declared resolver', () => {
    const schema = subgraphOf({ Thing: { key: 'name', resolve: resolveNames } });
    const union = schema.getType('_Entity');

    expect(isUnionType(union) && union.getTypes().map((type) => type.name)).toEqual(['Thing']);
  });

  it('refuses a @key written into the SDL by hand, which no context resolves (the router would get its own input back)', () => {
    const handKeyed = `${thing} extend type Maker @key(fields: "id")`;

    expect(() => subgraphOf({ Thing: { key: 'name', resolve: resolveNames } }, handKeyed)).toThrow(
      'Maker has a @key, but no context declares how to resolve it',
    );
  });

  it.each([
    ['nullable', 'label'],
    ['an object', 'maker'],
    ['missing', 'colour'],
  ])('refuses a key field that is %s', (_kind, key) => {
    expect(() => subgraphOf({ Thing: { key, resolve: resolveNames } })).toThrow(
      `Thing's entity key "${key}" must be a non-null String or ID field of Thing`,
    );
  });

  it('counts _service and _entities as guarded only because the router check wraps them', () => {
    const schema = subgraphOf({ Thing: { key: 'name', resolve: resolveNames } });
    const query = schema.getQueryType()!;
    for (const name of ROUTER_FIELDS) {
      expect(query.getFields()[name]?.extensions.kingdomGuard).toBe("the supergraph router's shared secret");
    }

    // The same subgraph without the marks: the check that every root field declares its guard stops it.
    const unmarked = subgraphOf({ Thing: { key: 'name', resolve: resolveNames } });
    for (const name of ROUTER_FIELDS) {
      const field = unmarked.getQueryType()!.getFields()[name]!;
      (field as { extensions: object }).extensions = {};
    }
    expect(() => assertEveryRootFieldIsGuarded(unmarked)).toThrow(
      'Query._entities has neither @public nor @auth\n  Query._service has neither @public nor @auth',
    );
  });
});

describe('the application schema', () => {
  const plain = buildApplicationSchema();
  const subgraph = buildApplicationSchema({ federation: { secretRequired: true } });

  it('has nothing of federation with the setting off', () => {
    const printed = printSchema(plain);

    for (const element of [
      '_entities',
      '_service',
      '_Any',
      '_Entity',
      '_Service',
      '@key',
      '@link',
      'specs.apollo.dev',
    ]) {
      expect(printed).not.toContain(element);
    }
    expect(Object.values(plain.getTypeMap()).filter((type) => getDirective(plain, type, 'key')?.length)).toEqual([]);
  });

  it('makes Product, Batch and User entities by their natural keys when serving as a subgraph', () => {
    const union = subgraph.getType('_Entity');
    const keyOf = (name: string) => getDirective(subgraph, subgraph.getType(name)!, 'key');

    expect(isUnionType(union) && union.getTypes().map((type) => type.name)).toEqual(['Batch', 'Product', 'User']);
    expect(keyOf('Product')).toEqual([{ fields: 'sku', resolvable: true }]);
    expect(keyOf('Batch')).toEqual([{ fields: 'reference', resolvable: true }]);
    expect(keyOf('User')).toEqual([{ fields: 'id', resolvable: true }]);
  });

  it('serves the very same API as a subgraph, plus the router fields', () => {
    // Sorted: the two builds may list an enum's or a type's extensions in another order, which changes nothing.
    const before = lexicographicSortSchema(plain);
    const after = lexicographicSortSchema(subgraph);
    const isRouterField = (line: string) => /^ {2}_(entities|service)\b/.test(line);
    const lines = (text: string) => text.split('\n').filter((line) => line !== '' && !isRouterField(line));
    for (const type of Object.values(before.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      const served = after.getType(type.name);
      expect(served && lines(printType(served))).toEqual(lines(printType(type)));
    }
    expect(printType(after.getQueryType()!).split('\n').filter(isRouterField)).toEqual([
      '  _entities(representations: [_Any!]!): [_Entity]!',
      '  _service: _Service!',
    ]);
  });
});

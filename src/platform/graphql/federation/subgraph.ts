/**
 * The schema as an Apollo Federation 2 subgraph (FEDERATION=true): the same SDL and resolvers, with `@key` on the
 * types the contexts declare as entities, `_service` and `_entities` for the router (guarded by its secret), and a
 * batched `__resolveReference` per entity through the contexts' scoped views. Nothing here touches the SDL files:
 * with the setting off, none of it exists (docs/decisions/0007-federation-as-a-setting.md).
 */
import type { ApolloGraphQLObjectTypeExtensions } from '@apollo/subgraph';
import { addResolversToSchema } from '@graphql-tools/schema';
import type { IResolvers } from '@graphql-tools/utils';
import {
  concatAST,
  getNamedType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  Kind,
  parse,
  visit,
  type ConstDirectiveNode,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { createRequire } from 'node:module';
import type { EntityResolvers } from '../context.ts';
import { referenceResolvers } from './entities.ts';
import { guardRouterFields, type RouterGuard } from './router-secret.ts';

/**
 * The federation version the subgraph links: the oldest with everything a Kingdom subgraph uses (`@key`), and one
 * that every Federation 2 router and composition release understands.
 */
export const FEDERATION_SPEC_URL = 'https://specs.apollo.dev/federation/v2.3';

const keyDirective = (fields: string): ConstDirectiveNode => ({
  kind: Kind.DIRECTIVE,
  name: { kind: Kind.NAME, value: 'key' },
  arguments: [
    {
      kind: Kind.ARGUMENT,
      name: { kind: Kind.NAME, value: 'fields' },
      value: { kind: Kind.STRING, value: fields },
    },
  ],
});

/** The SDL linked to the federation spec, each declared entity's type definition given its `@key`. */
export const subgraphDocument = (typeDefs: readonly string[], entities: EntityResolvers): DocumentNode => {
  const unkeyed = new Set(Object.keys(entities));
  const keyed = visit(concatAST(typeDefs.map((text) => parse(text))), {
    ObjectTypeDefinition: (node) => {
      const entity = Object.hasOwn(entities, node.name.value) ? entities[node.name.value] : undefined;
      if (!entity) return undefined;
      unkeyed.delete(node.name.value);
      return { ...node, directives: [...(node.directives ?? []), keyDirective(entity.key)] };
    },
  });
  if (unkeyed.size > 0) {
    throw new Error(`Entities declared for types the SDL does not define: ${[...unkeyed].join(', ')}`);
  }
  const link = parse(`extend schema @link(url: "${FEDERATION_SPEC_URL}", import: ["@key"])`);
  return concatAST([link, keyed]);
};

/**
 * Entity resolution is part of the start-up check: every type the router may reference (`_Entity`) resolves through
 * a context's declared resolver (without one, `_entities` would hand back the router's representation itself,
 * unscoped), and every declared key is a non-null String or ID field of its type.
 */
export const assertEntitiesResolved = (schema: GraphQLSchema, entities: EntityResolvers): void => {
  const problems: string[] = [];
  const union = schema.getType('_Entity');
  for (const type of isUnionType(union) ? union.getTypes() : []) {
    const extensions: ApolloGraphQLObjectTypeExtensions = type.extensions;
    if (typeof extensions.apollo?.subgraph?.resolveReference !== 'function' || !Object.hasOwn(entities, type.name)) {
      problems.push(`${type.name} has a @key, but no context declares how to resolve it (module.ts \`entities\`)`);
    }
  }
  for (const [typeName, entity] of Object.entries(entities)) {
    const type = schema.getType(typeName);
    const field = isObjectType(type) ? type.getFields()[entity.key] : undefined;
    const named = field && getNamedType(field.type);
    if (!field || !isNonNullType(field.type) || !isScalarType(named) || !['String', 'ID'].includes(named.name)) {
      problems.push(`${typeName}'s entity key "${entity.key}" must be a non-null String or ID field of ${typeName}`);
    }
  }
  if (problems.length > 0) throw new Error(`Entities are not resolved as declared:\n  ${problems.join('\n  ')}`);
};

export type SubgraphParts = {
  readonly typeDefs: readonly string[];
  /** The application's resolver maps (scalars, nodes, every context's), as makeExecutableSchema would take them. */
  readonly resolvers: readonly IResolvers[];
  readonly entities: EntityResolvers;
  readonly guard: RouterGuard;
};

/**
 * @apollo/subgraph, loaded on first use: a process that serves no subgraph (FEDERATION off, the worker, the scripts)
 * never pays for loading it.
 */
const apolloSubgraph = (): typeof import('@apollo/subgraph') =>
  createRequire(import.meta.url)('@apollo/subgraph') as typeof import('@apollo/subgraph');

/** The executable subgraph schema, before @auth is applied (the caller applies it as to any schema). */
export const buildSubgraph = ({ typeDefs, resolvers, entities, guard }: SubgraphParts): GraphQLSchema => {
  const subgraph = apolloSubgraph().buildSubgraphSchema([
    { typeDefs: subgraphDocument(typeDefs, entities), resolvers: referenceResolvers(entities) },
  ]);
  // graphql-tools attaches the application's resolvers as makeExecutableSchema does (a resolver for a field the
  // SDL lacks is an error); @apollo/subgraph's resolvers (`_service`, `_entities`, references) stay as they are.
  const executable = resolvers.reduce(
    (schema, map) =>
      addResolversToSchema({
        schema,
        resolvers: map,
        resolverValidationOptions: { requireResolversToMatchSchema: 'error' },
      }),
    subgraph,
  );
  assertEntitiesResolved(executable, entities);
  return guardRouterFields(executable, guard);
};

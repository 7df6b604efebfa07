import { makeExecutableSchema } from '@graphql-tools/schema';
import type { IResolvers } from '@graphql-tools/utils';
import { isEnumType, type GraphQLSchema } from 'graphql';
import { DateTimeResolver, LocalDateResolver } from 'graphql-scalars';
import { globSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertFeedsMatchSubscriptions,
  subscriptionResolvers,
  withoutEmptySubscriptionDefinition,
  withoutEmptySubscriptionType,
} from '../subscriptions/resolvers.ts';
import type { AccessSubjects, EntityResolvers, NodeFetchers, SubscriptionFeeds } from './context.ts';
import { createCursorSigner, ephemeralCursorKeys, type CursorSigner } from './cursors/signing.ts';
import { applyCursorSigning } from './cursors/transform.ts';
import { assertEveryRootFieldIsGuarded } from './auth-rules.ts';
import { applyAuthDirective } from './directives.ts';
import { buildSubgraph } from './federation/subgraph.ts';
import type { RouterGuard } from './federation/router-secret.ts';
import { nodeResolvers } from './node.ts';

export const SCHEMA_DIR = join(import.meta.dirname, '..', '..', '..', 'schema');

/** Every SDL file under schema/, in a stable order; contexts extend Query, Mutation and Resource from core.graphql. */
export const loadTypeDefs = (directory: string = SCHEMA_DIR): string[] =>
  globSync('**/*.graphql', { cwd: directory })
    .sort()
    .map((file) => readFileSync(join(directory, file), 'utf8'));

const scalarResolvers = { DateTime: DateTimeResolver, LocalDate: LocalDateResolver };

export type SchemaParts = {
  readonly typeDefs: readonly string[];
  /** Each context's resolvers (typed by codegen in the context; the shapes are graphql-tools'). */
  readonly resolvers: readonly object[];
  readonly nodes: NodeFetchers;
  /** How @auth learns about each resource's instances, from the context that owns it. */
  readonly subjects: AccessSubjects;
  /** What feeds each Subscription field, from the context whose SDL declares it. */
  readonly subscriptions?: SubscriptionFeeds;
  /** The types a supergraph router may reference, and how they resolve (used only when serving as a subgraph). */
  readonly entities?: EntityResolvers;
  /** Signs and verifies every cursor (default: keys of this process only, for tests and tools). */
  readonly cursors?: CursorSigner;
};

/** The SDL's `enum Resource` and the resources the contexts declare must be the same list. */
const assertResourcesDeclared = (schema: GraphQLSchema, subjects: AccessSubjects): void => {
  const type = schema.getType('Resource');
  const inSdl = isEnumType(type) ? type.getValues().map((value) => value.name) : [];
  const declared = Object.keys(subjects);
  const missing = inSdl.filter((name) => !declared.includes(name));
  const unlisted = declared.filter((name) => !inSdl.includes(name));
  const problems = [
    ...missing.map((name) => `${name} is in the SDL's enum Resource, but no context's module declares it`),
    ...unlisted.map((name) => `${name} is declared by a context's module, but no SDL adds it to enum Resource`),
  ];
  if (problems.length > 0) throw new Error(`Resources do not match:\n  ${problems.join('\n  ')}`);
};

/** `federation`: serve the schema as an Apollo Federation 2 subgraph (FEDERATION=true), its router fields guarded so. */
export const buildSchema = (
  { typeDefs, resolvers, nodes, subjects, subscriptions = {}, entities = {}, cursors }: SchemaParts,
  federation?: RouterGuard,
): GraphQLSchema => {
  const allResolvers = [
    scalarResolvers,
    nodeResolvers(nodes),
    subscriptionResolvers(subscriptions),
    ...resolvers,
  ] as IResolvers[];
  const executable = federation
    ? buildSubgraph({
        typeDefs: withoutEmptySubscriptionDefinition(typeDefs),
        resolvers: allResolvers,
        entities,
        guard: federation,
      })
    : makeExecutableSchema({
        typeDefs: [...typeDefs],
        resolvers: allResolvers,
        // A resolver for a field the SDL does not have is a typo, not something to ignore.
        resolverValidationOptions: { requireResolversToMatchSchema: 'error' },
      });
  const schema = withoutEmptySubscriptionType(executable);
  assertFeedsMatchSubscriptions(schema, subscriptions);
  assertEveryRootFieldIsGuarded(schema);
  assertResourcesDeclared(schema, subjects);
  // Cursors inside, @auth outside: a caller refused by @auth learns nothing about the cursors it sent.
  const signed = applyCursorSigning(schema, cursors ?? createCursorSigner(ephemeralCursorKeys()));
  return applyAuthDirective(signed, subjects);
};

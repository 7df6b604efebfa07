/**
 * The application's GraphQL schema: the SDL in schema/ with every context's resolvers, `node(id:)` fetchers,
 * @auth subjects and Subscription feeds, collected from the list of contexts (src/contexts.ts).
 */
import type { GraphQLSchema } from 'graphql';
import { contexts } from './contexts.ts';
import type { ContextModule } from './platform/context-module.ts';
import type { AccessSubjects, NodeFetchers } from './platform/graphql/context.ts';
import { buildSchema, loadTypeDefs, type SchemaParts } from './platform/graphql/schema.ts';
import { collectFeeds } from './platform/subscriptions/notices.ts';

const modules: readonly ContextModule[] = contexts;

export const schemaParts = (typeDefs: readonly string[] = loadTypeDefs()): SchemaParts => {
  const nodes: NodeFetchers = Object.fromEntries(modules.flatMap((context) => Object.entries(context.nodes ?? {})));
  const subjects: AccessSubjects = Object.fromEntries(
    modules.flatMap((context) =>
      Object.entries(context.resources ?? {}).map(([resource, declaration]) => [resource, declaration.subject]),
    ),
  );
  return {
    typeDefs,
    resolvers: modules.map((context) => context.resolvers ?? {}),
    nodes,
    subjects,
    subscriptions: collectFeeds(modules),
  };
};

export const buildApplicationSchema = (typeDefs?: readonly string[]): GraphQLSchema =>
  buildSchema(schemaParts(typeDefs));

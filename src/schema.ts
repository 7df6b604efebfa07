/**
 * The application's GraphQL schema: the SDL in schema/ with every context's resolvers, `node(id:)` fetchers and
 * @auth subjects, collected from the list of contexts (src/contexts.ts).
 */
import type { GraphQLSchema } from 'graphql';
import { contexts } from './contexts.ts';
import type { ContextModule } from './platform/context-module.ts';
import type { AccessSubjects, NodeFetchers } from './platform/graphql/context.ts';
import type { CursorSigner } from './platform/graphql/cursors/signing.ts';
import { buildSchema, loadTypeDefs, type SchemaParts } from './platform/graphql/schema.ts';

const modules: readonly ContextModule[] = contexts;

export const schemaParts = (typeDefs: readonly string[] = loadTypeDefs()): SchemaParts => {
  const nodes: NodeFetchers = Object.fromEntries(modules.flatMap((context) => Object.entries(context.nodes ?? {})));
  const subjects: AccessSubjects = Object.fromEntries(
    modules.flatMap((context) =>
      Object.entries(context.resources ?? {}).map(([resource, declaration]) => [resource, declaration.subject]),
    ),
  );
  return { typeDefs, resolvers: modules.map((context) => context.resolvers ?? {}), nodes, subjects };
};

/** `cursors`: the signer with the configured keys (the API's); tools and tests may leave it to a throwaway one. */
export const buildApplicationSchema = (typeDefs?: readonly string[], cursors?: CursorSigner): GraphQLSchema =>
  buildSchema({ ...schemaParts(typeDefs), ...(cursors ? { cursors } : {}) });

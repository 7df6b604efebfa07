/**
 * The application's GraphQL schema: the SDL in schema/ with every context's resolvers, `node(id:)` fetchers,
 * @auth subjects and Subscription feeds, collected from the list of contexts (src/contexts.ts).
 */
import type { GraphQLSchema } from 'graphql';
import { contexts } from './contexts.ts';
import type { ContextModule } from './platform/context-module.ts';
import type { AccessSubjects, EntityResolvers, NodeFetchers } from './platform/graphql/context.ts';
import type { CursorSigner } from './platform/graphql/cursors/signing.ts';
import type { RouterGuard } from './platform/graphql/federation/router-secret.ts';
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
  const entities: EntityResolvers = Object.fromEntries(
    modules.flatMap((context) => Object.entries(context.entities ?? {})),
  );
  return {
    typeDefs,
    resolvers: modules.map((context) => context.resolvers ?? {}),
    nodes,
    subjects,
    subscriptions: collectFeeds(modules),
    entities,
  };
};

export type ApplicationSchemaOptions = {
  readonly typeDefs?: readonly string[];
  /** Serve as an Apollo Federation subgraph (FEDERATION=true), the contexts' entities resolvable by a router. */
  readonly federation?: RouterGuard;
  /** The signer with the configured keys (the API's); tools and tests may leave it to a throwaway one. */
  readonly cursors?: CursorSigner;
};

export const buildApplicationSchema = ({
  typeDefs,
  federation,
  cursors,
}: ApplicationSchemaOptions = {}): GraphQLSchema =>
  buildSchema({ ...schemaParts(typeDefs), ...(cursors ? { cursors } : {}) }, federation);

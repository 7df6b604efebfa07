import { makeExecutableSchema } from '@graphql-tools/schema';
import type { IResolvers } from '@graphql-tools/utils';
import { globSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { DateTimeResolver, LocalDateResolver } from 'graphql-scalars';
import type { Resolvers } from '../../generated/graphql.ts';
import { accessResolvers, accessSubjects } from '../../access/entrypoints/resolvers.ts';
import { identityNodes, identityResolvers, identitySubjects } from '../../identity/entrypoints/resolvers.ts';
import { inventoryNodes, inventoryResolvers, inventorySubjects } from '../../inventory/entrypoints/resolvers.ts';
import { applyAuthDirective, assertEveryRootFieldIsGuarded } from './directives.ts';
import type { AccessSubjects } from './context.ts';
import { nodeResolvers } from './node.ts';
import { jobResolvers, jobSubjects } from '../jobs/resolvers.ts';

export const SCHEMA_DIR = join(import.meta.dirname, '..', '..', '..', 'schema');

/** Every SDL file under schema/, in a stable order; contexts extend Query and Mutation from core.graphql. */
export const loadTypeDefs = (directory: string = SCHEMA_DIR): string[] =>
  globSync('**/*.graphql', { cwd: directory })
    .sort()
    .map((file) => readFileSync(join(directory, file), 'utf8'));

const scalarResolvers: Resolvers = { DateTime: DateTimeResolver, LocalDate: LocalDateResolver };

export const contextResolvers: readonly Resolvers[] = [
  scalarResolvers,
  nodeResolvers({ ...inventoryNodes, ...identityNodes }),
  inventoryResolvers,
  identityResolvers,
  accessResolvers,
  jobResolvers,
  // generate: resolvers
];

/** How @auth learns about each resource's instances, from the context that owns it. */
export const contextSubjects: AccessSubjects = {
  ...inventorySubjects,
  ...identitySubjects,
  ...accessSubjects,
  ...jobSubjects,
  // generate: subjects
};

export const buildSchema = (
  typeDefs: readonly string[] = loadTypeDefs(),
  resolvers: readonly Resolvers[] = contextResolvers,
  subjects: AccessSubjects = contextSubjects,
): GraphQLSchema => {
  const schema = makeExecutableSchema({
    typeDefs: [...typeDefs],
    // Codegen's Resolvers type is stricter than graphql-tools' IResolvers; the shapes are the same.
    resolvers: resolvers as IResolvers[],
    // A resolver for a field the SDL does not have is a typo, not something to ignore.
    resolverValidationOptions: { requireResolversToMatchSchema: 'error' },
  });
  assertEveryRootFieldIsGuarded(schema);
  return applyAuthDirective(schema, subjects);
};

/**
 * The jobs context as the shell sees it (listed in src/contexts.ts): what operators see of the external bus's
 * background jobs. Read-only: graphile-worker owns the jobs; this only shows the ones that failed for good.
 */
import type { ReadScope } from '../core/access.ts';
import type { ContextShell, Module } from '../platform/context-module.ts';
import { createJobViews } from './adapters/slonik-job-views.ts';
import { jobResolvers, jobResources } from './entrypoints/resolvers.ts';
import type { JobViews } from './services/views.ts';

// Codegen mappers: the TypeScript shape each GraphQL type of jobs resolves from (scripts/codegen/context-resolvers.ts).
export type { FailedJobView as FailedJobMapper, FailedJobPage as FailedJobConnectionMapper } from './services/views.ts';

export type JobOverrides = { readonly views?: (readScope: ReadScope) => JobViews };

// Every failed job is visible to whoever may READ JOB at all: the views need no read scope.
const wire = (shell: ContextShell, overrides: JobOverrides = {}) => ({
  views: overrides.views ?? ((): JobViews => createJobViews(shell.database())),
});

export const jobs: Module<'jobs', typeof wire> = {
  name: 'jobs',
  resources: jobResources,
  resolvers: jobResolvers,
  wire,
};

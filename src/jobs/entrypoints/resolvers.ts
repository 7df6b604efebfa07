import type { Resolvers } from '../../generated/graphql.ts';
import type { ResourceDeclaration } from '../../platform/context-module.ts';

/** Operators' window on the external bus; @auth(resource: JOB, action: READ) in the SDL decides who may look. */
export const jobResolvers: Resolvers = {
  Query: {
    failedJobs: (_parent, page, { views }) => views.jobs.failedJobs(page),
  },
  FailedJobConnection: { totalCount: (page) => page.totalCount() },
};

/** JOB, keyed by graphile-worker's job id. No rule keys a job by instance today, so nobody owns one. */
export const jobResources: Readonly<Record<'JOB', ResourceDeclaration>> = {
  JOB: {
    key: { valid: (key) => /^\d{1,19}$/.test(key), is: 'a job id' },
    subject: { ownership: async () => ({ exists: false, owned: false }) },
  },
};

import type { Resolvers } from '../../generated/graphql.ts';
import type { AccessSubjects } from '../graphql/context.ts';

/** Operators' window on the external bus; @auth(resource: JOB, action: READ) in the SDL decides who may look. */
export const jobResolvers: Resolvers = {
  Query: {
    failedJobs: (_parent, { first }, { views }) => views.jobs.failedJobs({ first }),
  },
};

/** No rule keys JOB by instance today (no `id` or `parentKey` on a JOB rule), so nothing is anyone's own job. */
export const jobSubjects: Pick<AccessSubjects, 'JOB'> = {
  JOB: { ownership: async () => ({ exists: false, owned: false }) },
};

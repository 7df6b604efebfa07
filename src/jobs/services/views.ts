import type { Page, PageArgs } from '../../core/pagination.ts';

/** A job that used up its attempts (the FailedJob of schema/jobs.graphql; codegen mapper). */
export type FailedJobView = {
  readonly jobId: string;
  readonly task: string;
  /** The job's payload (an Envelope, or whatever a broken producer wrote) as JSON text. */
  readonly payload: string;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly failedAt: Date;
};

export type FailedJobPage = Page<FailedJobView>;

/** Operators' window on the external bus; @auth(resource: JOB, action: READ) decides who may look. */
export type JobViews = {
  /** Most recently failed first; keyset-paged; invalid page arguments are InvalidInput errors. */
  failedJobs(args: PageArgs): Promise<FailedJobPage>;
};

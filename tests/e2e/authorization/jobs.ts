/** The jobs context's row of the authorization matrix: operators' window on failed background jobs. */
import type { MatrixPart } from './matrix.ts';

export const matrix: MatrixPart = {
  rows: {
    // Operators only: no role but the administrator's grants JOB, and no rule keys a job by instance.
    'Query.failedJobs': {
      operation: '{ failedJobs { totalCount } }',
      expect: {
        anonymous: 'UNAUTHENTICATED',
        noRole: 'FORBIDDEN',
        scoped: 'FORBIDDEN',
        star: 'FORBIDDEN',
        admin: 'ok',
      },
    },
  },
};

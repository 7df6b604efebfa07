import { AsyncLocalStorage } from 'node:async_hooks';
import type { Interceptor } from 'slonik';

type Tally = { count: number };
const tallies = new AsyncLocalStorage<Tally>();

/**
 * Counts the SQL statements sent while `work` runs (and everything it awaits), however deep in the resolvers they
 * are sent. The N+1 guard of the test suite reads it.
 */
export const countStatements = async <T>(work: () => Promise<T>): Promise<{ result: T; statements: number }> => {
  const tally: Tally = { count: 0 };
  const result = await tallies.run(tally, work);
  return { result, statements: tally.count };
};

export const statementCounter: Interceptor = {
  name: 'kingdom.statementCounter',
  beforeQueryExecution: () => {
    const tally = tallies.getStore();
    if (tally) tally.count += 1;
    return null;
  },
};

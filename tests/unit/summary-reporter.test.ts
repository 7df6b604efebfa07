import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
// @ts-expect-error: a plain JavaScript jest reporter, without type declarations.
import SummaryReporter from '../support/summary-reporter.js';

type Reporter = { onRunComplete(contexts: unknown, results: unknown): void };

const file = (testFilePath: string, passing: number, failing = 0) => ({
  testFilePath,
  numPassingTests: passing,
  numFailingTests: failing,
});
const results = {
  numPassedTests: 9,
  numFailedTests: 1,
  numRuntimeErrorTestSuites: 0,
  numPendingTests: 0,
  numTodoTests: 0,
  testResults: [
    file('/repo/tests/integration/a.test.ts', 4, 1),
    file('/repo/tests/integration/inventory/b.test.ts', 2),
    file('/repo/tests/e2e/c.test.ts', 3),
    file('/repo/tests/unit/d.test.ts', 7),
  ],
};

describe('the test summary line', () => {
  const saved = process.env.KINGDOM_TEST_ENGINES;
  afterEach(() => {
    if (saved === undefined) delete process.env.KINGDOM_TEST_ENGINES;
    else process.env.KINGDOM_TEST_ENGINES = saved;
  });

  it('counts the tests that ran per database engine, and appends them to the file .ci/run adds up', async () => {
    const engines = path.join(await mkdtemp(path.join(tmpdir(), 'engines-')), 'engines.tsv');
    process.env.KINGDOM_TEST_ENGINES = engines;
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);

    (new SummaryReporter() as Reporter).onRunComplete([], results);
    const printed = log.mock.calls.map((call) => String(call[0]));
    log.mockRestore();

    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/: 9 passed, 1 failed \(7 on pg-mem, 3 on real Postgres\)$/);
    expect(await readFile(engines, 'utf8')).toBe('pg-mem\t7\nreal Postgres\t3\n');
  });
});

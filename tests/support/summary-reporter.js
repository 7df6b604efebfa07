import { appendFileSync } from 'node:fs';

// Ends each jest run with one plain line ("unit: 142 passed, 0 failed") that any CI log reader understands, and
// says which database engine the database tiers ran on: integration on pg-mem (the fast tier), e2e on real
// Postgres (docs/decisions/0020-pg-mem-as-the-fast-tier.md). When KINGDOM_TEST_ENGINES names a file, one line per
// run is appended to it ("pg-mem 312"), which .ci/run adds up at the end so a fast tier quietly emptying out shows.
const engineOf = { integration: 'pg-mem', e2e: 'real Postgres' };

export default class SummaryReporter {
  constructor() {
    const projects = process.argv.indexOf('--selectProjects');
    this.label = projects > 0 ? process.argv[projects + 1] : 'jest';
  }

  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const engines = countByEngine(results.testResults);
    const onEngines = Object.entries(engines)
      .map(([engine, count]) => `${count} on ${engine}`)
      .join(', ');
    console.log(
      `${this.label}: ${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}` +
        (onEngines ? ` (${onEngines})` : ''),
    );
    const file = process.env.KINGDOM_TEST_ENGINES;
    if (file) for (const [engine, count] of Object.entries(engines)) appendFileSync(file, `${engine}\t${count}\n`);
  }
}

/** Tests that ran (passed or failed) per database engine, from each file's place in the test pyramid. */
const countByEngine = (fileResults) => {
  const counts = {};
  for (const file of fileResults) {
    const tier = /[/\\]tests[/\\](integration|e2e)[/\\]/.exec(file.testFilePath)?.[1];
    if (!tier) continue;
    const ran = file.numPassingTests + file.numFailingTests;
    counts[engineOf[tier]] = (counts[engineOf[tier]] ?? 0) + ran;
  }
  return counts;
};

// Ends each jest run with one plain line ("unit: 142 passed, 0 failed") that any CI log reader understands.
export default class SummaryReporter {
  constructor() {
    const projects = process.argv.indexOf('--selectProjects');
    this.label = projects > 0 ? process.argv[projects + 1] : 'jest';
  }

  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    console.log(
      `${this.label}: ${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`,
    );
  }
}

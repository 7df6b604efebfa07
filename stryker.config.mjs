// Mutation testing (`npm run test:mutation`): StrykerJS changes the business code one small way at a time (a `<`
// becomes `<=`, a condition `true`, a string empty) and runs the tests that cover each change; a change no test
// notices is a "survivor", a behaviour nothing checks. See docs/how-to/mutation-testing.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: ['src/core/**/*.ts', 'src/*/domain/**/*.ts', 'src/*/services/**/*.ts'],
  testRunner: 'jest',
  jest: { configFile: 'jest.stryker.config.js' },
  // jest runs ESM through Node's VM modules.
  testRunnerNodeArgs: ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'],
  // Each mutant runs only the tests that covered its code in the first (dry) run.
  coverageAnalysis: 'perTest',
  // Code run while modules load (a top-level constant, a Set of names) is covered by no single test: such "static"
  // mutants would each run every test file. Left out; docs/how-to/mutation-testing.md gives their count and cost.
  ignoreStatic: true,
  // A jest worker under VM modules grows by hundreds of MB a minute; a fresh one every 40 mutants keeps it bounded.
  maxTestRunnerReuse: 40,
  concurrency: 2,
  timeoutMS: 10000,
  // Re-test only the mutants whose code or covering tests changed since the committed baseline.
  incremental: true,
  incrementalFile: 'mutation/baseline.json',
  thresholds: { high: 92, low: 85, break: 90 },
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/report.json' },
  ignorePatterns: ['bench', 'dist', 'coverage', '.data', 'reports', 'mutation'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};

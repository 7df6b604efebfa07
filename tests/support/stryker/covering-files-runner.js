// The jest test runner of the mutation run only (jest.stryker.config.js); `npm test` never loads it.
//
// For each mutant Stryker asks jest for the tests that covered the mutated code, by name (testNamePattern), and for
// the test files related to the mutated module (findRelatedTests). Jest then loads every related file to find
// those names: for a module of the core that is nearly every test file, each loaded again for each mutant, which
// made a mutant of src/core cost 15-60 seconds on a 2-core machine. This runner
// - records, during Stryker's first full run (no name filter, no active mutant), which file holds each test;
// - for a mutant, runs only the files holding one of the covering tests;
// - runs unit test files before integration ones, and stops at the first file with a failing test: one failure is
//   all Stryker needs to call a mutant killed (its default; with `disableBail` it wants every failing test: do not
//   set that with this runner).
// When it knows nothing yet (no index file), it runs what jest gives it, unchanged.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import TestRunner from 'jest-runner';

const ACTIVE_MUTANT = '__STRYKER_ACTIVE_MUTANT__';
const INDEX_FILE = '.stryker-test-files.json';

const isIntegration = (test) => test.path.includes(`${path.sep}integration${path.sep}`);
const failed = (result) => Boolean(result.testExecError) || result.numFailingTests > 0;

export default class CoveringFilesRunner extends TestRunner {
  async runTests(tests, watcher, options) {
    const index = path.join(this._globalConfig.rootDir, INDEX_FILE);
    const pattern = this._globalConfig.testNamePattern;
    const mutantActive = process.env[ACTIVE_MUTANT] !== undefined;
    if (!pattern && !mutantActive) return this.#recordingFiles(tests, watcher, options, index);
    if (!pattern || !existsSync(index)) return super.runTests(tests, watcher, options);

    const names = new RegExp(pattern, 'i');
    const filesByName = JSON.parse(readFileSync(index, 'utf8'));
    const wanted = new Set(Object.entries(filesByName).flatMap(([name, files]) => (names.test(name) ? files : [])));
    // Unit test files first: they load in a fraction of the time of a pg-mem one, and usually fail first.
    const selected = tests
      .filter((test) => wanted.has(test.path))
      .sort((a, b) => Number(isIntegration(a)) - Number(isIntegration(b)));
    if (!options.serial) return super.runTests(selected, watcher, options);
    return this.#untilOneFails(selected, watcher, options);
  }

  async #recordingFiles(tests, watcher, options, index) {
    const filesByName = {};
    const stop = this.on('test-file-success', ([test, result]) => {
      for (const { fullName } of result.testResults) (filesByName[fullName] ??= []).push(test.path);
    });
    try {
      await super.runTests(tests, watcher, options);
    } finally {
      stop();
    }
    writeFileSync(index, JSON.stringify(filesByName));
  }

  async #untilOneFails(tests, watcher, options) {
    let killed = false;
    const stopSuccess = this.on('test-file-success', ([, result]) => void (killed ||= failed(result)));
    const stopFailure = this.on('test-file-failure', () => void (killed = true));
    try {
      for (const test of tests) {
        await super.runTests([test], watcher, options);
        if (killed) break;
      }
    } finally {
      stopSuccess();
      stopFailure();
    }
  }
}

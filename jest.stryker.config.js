// The jest configuration Stryker runs (stryker.config.mjs), not the one `npm test` uses: Stryker wraps the test
// environment of the top-level config only, so the projects of jest.config.js are flattened here into one.
// It holds the tests of the code Stryker mutates (core, domain, services): the unit tests of the core and of each
// context, the property tests, and the contexts' integration tests on pg-mem, which kill service mutants fakes
// cannot see. The shell's tests (platform, adapters, docs, e2e) stay out: a mutant of the core must be caught by
// a test of the core, and every test file that imports a mutated module is loaded again for each of its mutants.
import base from './jest.config.js';

const unit = base.projects.find((project) => project.displayName === 'unit');
const { displayName: _displayName, ...common } = unit;

export default {
  ...common,
  // Runs, for each mutant, only the test files holding the tests that covered it (see the file).
  runner: '<rootDir>/tests/support/stryker/covering-files-runner.js',
  testMatch: [
    '<rootDir>/tests/unit/{core,access,identity,inventory,jobs,notifications,properties}/**/*.test.ts',
    '<rootDir>/tests/integration/{access,identity,inventory,jobs,notifications}/**/*.test.ts',
    // The core's selection helper is tested beside the resolvers that use it.
    '<rootDir>/tests/unit/platform/selection.test.ts',
  ],
};

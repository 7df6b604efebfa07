import type { MutantStatus, MutationReport } from '../../scripts/mutation/report.ts';
import { stalenessOf } from '../../scripts/mutation/staleness.ts';

const at = { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } };
const mutant = (id: string, status: MutantStatus, coveredBy: string[] = []) => ({
  id,
  mutatorName: 'BooleanLiteral',
  status,
  location: at,
  coveredBy,
});

// Two code files of 10 characters with 4 tested mutants between them (one static, ignored): 0.2 mutant a character.
const baseline: MutationReport = {
  schemaVersion: '1.0',
  thresholds: { high: 92, low: 85, break: 90 },
  files: {
    'src/core/bus.ts': {
      language: 'typescript',
      source: 'bus source',
      mutants: [mutant('1', 'Killed', ['0']), mutant('2', 'Survived', ['0']), mutant('3', 'Ignored')],
    },
    'src/identity/domain/user.ts': {
      language: 'typescript',
      source: 'usr source',
      mutants: [mutant('4', 'Killed', ['1']), mutant('5', 'NoCoverage')],
    },
  },
  testFiles: {
    'tests/unit/core/bus.test.ts': { source: 'bus tests', tests: [{ id: '0', name: 'bus a' }] },
    'tests/unit/identity/user.test.ts': { source: 'user tests', tests: [{ id: '1', name: 'user a' }] },
  },
};
const code = { 'src/core/bus.ts': 'bus source', 'src/identity/domain/user.ts': 'usr source' };
const tests = { 'tests/unit/core/bus.test.ts': 'bus tests', 'tests/unit/identity/user.test.ts': 'user tests' };

describe('how far the tree is from the mutation baseline', () => {
  it('is nothing on the tree the baseline was written from', () => {
    expect(stalenessOf(baseline, code, tests)).toEqual({ changedCode: [], changedTests: [], mutants: 0 });
  });

  it('counts every tested mutant of a changed code file, not its static ones', () => {
    expect(stalenessOf(baseline, { ...code, 'src/core/bus.ts': 'bus edited' }, tests)).toEqual({
      changedCode: ['src/core/bus.ts'],
      changedTests: [],
      mutants: 2,
    });
  });

  it('estimates a new code file from the mutants per character of the baseline', () => {
    const withNew = { ...code, 'src/jobs/services/tasks.ts': 'x'.repeat(50) };
    expect(stalenessOf(baseline, withNew, tests)).toMatchObject({
      changedCode: ['src/jobs/services/tasks.ts'],
      mutants: 10,
    });
  });

  it('counts the mutants covered by the tests of a changed or deleted test file', () => {
    const edited = { ...tests, 'tests/unit/identity/user.test.ts': 'user tests, one more' };
    expect(stalenessOf(baseline, code, edited)).toMatchObject({
      changedTests: ['tests/unit/identity/user.test.ts'],
      mutants: 1,
    });
    const { 'tests/unit/core/bus.test.ts': _deleted, ...without } = tests;
    expect(stalenessOf(baseline, code, without)).toMatchObject({
      changedTests: ['tests/unit/core/bus.test.ts'],
      mutants: 2,
    });
  });

  it("counts, for a new test file, only its context's survivors and uncovered mutants", () => {
    expect(stalenessOf(baseline, code, { ...tests, 'tests/unit/identity/names.test.ts': 'new' })).toMatchObject({
      changedTests: ['tests/unit/identity/names.test.ts'],
      mutants: 1,
    });
    expect(stalenessOf(baseline, code, { ...tests, 'tests/unit/properties/all.test.ts': 'new' })).toMatchObject({
      mutants: 2,
    });
  });

  it('counts a mutant once however many reasons it has, and nothing for a deleted code file', () => {
    const both = stalenessOf(
      baseline,
      { 'src/core/bus.ts': 'bus edited' },
      { ...tests, 'tests/unit/core/bus.test.ts': 'bus tests edited' },
    );
    expect(both).toEqual({
      changedCode: ['src/core/bus.ts'],
      changedTests: ['tests/unit/core/bus.test.ts'],
      mutants: 2,
    });
  });
});

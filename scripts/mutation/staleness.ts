/**
 * How far the committed baseline is behind the tree: which code and test files changed since it was written, and
 * about how many mutants an incremental run would test again. The mutation check in CI uses the figure to stay
 * within its time budget (scripts/mutation.ts); Stryker itself decides exactly what it re-runs.
 *
 * What Stryker's incremental mode tests again, and so what is counted here:
 * - every mutant of a code file whose source changed (a file absent from the baseline is estimated from the
 *   baseline's mutants per character of source);
 * - every mutant covered by a test of a test file that changed or disappeared (jest reports no end position for a
 *   test, so a change anywhere in its file counts as a change of each of its tests);
 * - for a new test file, the survivors and uncovered mutants of its context (only those can be newly killed).
 */
import type { MutationReport } from './report.ts';

/** File name (relative to the repository root) -> its current content. */
export type Sources = Readonly<Record<string, string>>;

export type Staleness = {
  readonly changedCode: readonly string[];
  readonly changedTests: readonly string[];
  readonly mutants: number;
};

type Mutant = MutationReport['files'][string]['mutants'][number];

const isTested = (mutant: Mutant): boolean => mutant.status !== 'Ignored';
const isUndetected = (mutant: Mutant): boolean => mutant.status === 'Survived' || mutant.status === 'NoCoverage';

/** `src/identity/services/x.ts` -> `identity`, `src/core/x.ts` -> `core`. */
const contextOfCode = (fileName: string): string => fileName.split('/')[1] ?? '';
/** `tests/unit/identity/x.test.ts` -> `identity`; the property tests span every context (`*`). */
const contextOfTest = (fileName: string): string => {
  const context = fileName.split('/')[2] ?? '';
  return context === 'properties' ? '*' : context;
};

export const stalenessOf = (baseline: MutationReport, code: Sources, tests: Sources): Staleness => {
  const known = Object.entries(baseline.files);
  const testedCount = known.reduce((sum, [, file]) => sum + file.mutants.filter(isTested).length, 0);
  const characters = known.reduce((sum, [, file]) => sum + file.source.length, 0);
  const perCharacter = characters === 0 ? 0 : testedCount / characters;

  const changedCode = Object.keys(code)
    .filter((fileName) => baseline.files[fileName]?.source !== code[fileName])
    .sort();
  let estimated = 0;
  const rerun = new Set<string>();
  for (const fileName of changedCode) {
    const file = baseline.files[fileName];
    if (file) for (const mutant of file.mutants.filter(isTested)) rerun.add(`${fileName}:${mutant.id}`);
    else estimated += Math.round((code[fileName]?.length ?? 0) * perCharacter);
  }

  const baselineTests = baseline.testFiles ?? {};
  const changedTests = [...new Set([...Object.keys(tests), ...Object.keys(baselineTests)])]
    .filter((fileName) => baselineTests[fileName]?.source !== tests[fileName])
    .sort();
  const changedTestIds = new Set(
    changedTests.flatMap((fileName) => (baselineTests[fileName]?.tests ?? []).map((t) => t.id)),
  );
  const newTestContexts = new Set(changedTests.filter((fileName) => !baselineTests[fileName]).map(contextOfTest));
  for (const [fileName, file] of known) {
    if (!(fileName in code)) continue; // deleted since: nothing to run
    const context = contextOfCode(fileName);
    const reachedByNewTests = newTestContexts.has('*') || newTestContexts.has(context);
    for (const mutant of file.mutants.filter(isTested)) {
      const coveredByChange = (mutant.coveredBy ?? []).some((id) => changedTestIds.has(id));
      if (coveredByChange || (reachedByNewTests && isUndetected(mutant))) rerun.add(`${fileName}:${mutant.id}`);
    }
  }
  return { changedCode, changedTests, mutants: rerun.size + estimated };
};

/**
 * Stryker's JSON reports (the mutation-testing-report-schema, which is also the format of its incremental file),
 * reduced to what this repository commits: one baseline merged from runs over parts of the code, and a summary by
 * folder. Plain functions over plain data; scripts/mutation-report.ts does the reading and writing.
 */

export type MutantStatus =
  'Killed' | 'Survived' | 'NoCoverage' | 'Timeout' | 'CompileError' | 'RuntimeError' | 'Ignored' | 'Pending';

type Position = { readonly line: number; readonly column: number };
type Mutant = {
  readonly id: string;
  readonly mutatorName: string;
  readonly replacement?: string;
  readonly status: MutantStatus;
  readonly location: { readonly start: Position; readonly end: Position };
  readonly coveredBy?: readonly string[];
  readonly killedBy?: readonly string[];
  readonly [other: string]: unknown;
};
type TestDefinition = { readonly id: string; readonly name: string; readonly [other: string]: unknown };
type TestFile = { readonly tests: readonly TestDefinition[]; readonly source?: string };

export type MutationReport = {
  readonly schemaVersion: string;
  readonly thresholds: { readonly high: number; readonly low: number; readonly break?: number | null };
  readonly files: Readonly<
    Record<string, { readonly language: string; readonly source: string; readonly mutants: readonly Mutant[] }>
  >;
  readonly testFiles?: Readonly<Record<string, TestFile>>;
  readonly [other: string]: unknown;
};

/**
 * One report from several, as if one run had mutated every file they cover: test ids (small numbers each run
 * assigns on its own) are renumbered by test file and name, so every mutant's coveredBy/killedBy still names the
 * right test. A file reported twice keeps its last report; a test file, the source the last report read. The
 * machine-specific fields (projectRoot, the resolved config) are left out, so the committed file reads the same on
 * every machine.
 */
export const mergeReports = (reports: readonly MutationReport[]): MutationReport => {
  const [first] = reports;
  if (!first) throw new Error('nothing to merge: no report given');
  const testIds = new Map<string, string>();
  const testFiles: Record<string, { tests: TestDefinition[]; source?: string }> = {};
  const files: Record<string, MutationReport['files'][string]> = {};
  for (const report of reports) {
    const renumbered = new Map<string, string>();
    for (const [fileName, testFile] of Object.entries(report.testFiles ?? {})) {
      const merged = (testFiles[fileName] ??= { tests: [], source: testFile.source });
      merged.source = testFile.source; // the latest run read the file as it is now
      for (const test of testFile.tests) {
        const key = `${fileName}\u0000${test.name}`;
        let id = testIds.get(key);
        if (id === undefined) {
          id = String(testIds.size);
          testIds.set(key, id);
          merged.tests.push({ ...test, id });
        }
        renumbered.set(test.id, id);
      }
    }
    const renumber = (ids: readonly string[] | undefined) => ids?.map((id) => renumbered.get(id) ?? id);
    for (const [fileName, file] of Object.entries(report.files)) {
      files[fileName] = {
        ...file,
        mutants: file.mutants.map((mutant) => ({
          ...mutant,
          ...(mutant.coveredBy && { coveredBy: renumber(mutant.coveredBy) }),
          ...(mutant.killedBy && { killedBy: renumber(mutant.killedBy) }),
        })),
      };
    }
  }
  return { schemaVersion: first.schemaVersion, thresholds: first.thresholds, files, testFiles };
};

export type Tally = {
  readonly killed: number;
  readonly timeout: number;
  readonly survived: number;
  readonly noCoverage: number;
  readonly ignored: number;
  readonly errors: number;
};

const EMPTY: Tally = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0, errors: 0 };

const count = (tally: Tally, status: MutantStatus): Tally => {
  switch (status) {
    case 'Killed':
      return { ...tally, killed: tally.killed + 1 };
    case 'Timeout':
      return { ...tally, timeout: tally.timeout + 1 };
    case 'Survived':
      return { ...tally, survived: tally.survived + 1 };
    case 'NoCoverage':
      return { ...tally, noCoverage: tally.noCoverage + 1 };
    case 'Ignored':
      return { ...tally, ignored: tally.ignored + 1 };
    case 'CompileError':
    case 'RuntimeError':
    case 'Pending':
      return { ...tally, errors: tally.errors + 1 };
  }
};

/** Stryker's mutation score: detected (killed or timed out) over every valid mutant (detected, survived, not covered). */
export const scoreOf = ({ killed, timeout, survived, noCoverage }: Tally): number => {
  const valid = killed + timeout + survived + noCoverage;
  return valid === 0 ? 100 : ((killed + timeout) / valid) * 100;
};

/** The folder a file is scored under: `src/core`, or a context's `domain` / `services` (`src/identity/domain`). */
export const folderOf = (fileName: string): string => {
  const parts = fileName.split('/');
  return parts[1] === 'core' ? parts.slice(0, 2).join('/') : parts.slice(0, 3).join('/');
};

export type FolderScore = { readonly folder: string; readonly tally: Tally; readonly score: number };

export const scoresByFolder = (report: MutationReport): { folders: FolderScore[]; total: FolderScore } => {
  const tallies = new Map<string, Tally>();
  for (const [fileName, file] of Object.entries(report.files)) {
    if (file.mutants.length === 0) continue; // types only: no folder of its own
    const folder = folderOf(fileName);
    tallies.set(
      folder,
      file.mutants.reduce((tally, mutant) => count(tally, mutant.status), tallies.get(folder) ?? EMPTY),
    );
  }
  const folders = [...tallies]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([folder, tally]) => ({ folder, tally, score: scoreOf(tally) }));
  const tally = folders.reduce(
    (sum, { tally: t }): Tally => ({
      killed: sum.killed + t.killed,
      timeout: sum.timeout + t.timeout,
      survived: sum.survived + t.survived,
      noCoverage: sum.noCoverage + t.noCoverage,
      ignored: sum.ignored + t.ignored,
      errors: sum.errors + t.errors,
    }),
    EMPTY,
  );
  return { folders, total: { folder: 'all', tally, score: scoreOf(tally) } };
};

/** Scores are floored to one decimal: 91.99 must never read as 92.0. */
export const formatScore = (score: number): string => (Math.floor(score * 10) / 10).toFixed(1);

/** The one line the README shows: overall score, then each folder's, and the date of the run. */
export const badgeLine = (report: MutationReport, date: string): string => {
  const { folders, total } = scoresByFolder(report);
  const parts = folders.map(({ folder, score }) => `${folder.replace(/^src\//, '')} ${formatScore(score)}`);
  return `**Mutation score ${formatScore(total.score)}%** (${date}): ${parts.join(' · ')}`;
};

export const summaryMarkdown = (report: MutationReport, date: string): string => {
  const { folders, total } = scoresByFolder(report);
  const row = ({ folder, tally, score }: FolderScore) =>
    `| ${folder} | ${formatScore(score)} | ${tally.killed} | ${tally.timeout} | ${tally.survived} | ${tally.noCoverage} | ${tally.ignored} |`;
  const survivors = Object.entries(report.files)
    .flatMap(([fileName, file]) =>
      file.mutants
        .filter((mutant) => mutant.status === 'Survived' || mutant.status === 'NoCoverage')
        .map(
          (mutant) =>
            `| ${fileName}:${mutant.location.start.line} | ${mutant.status} | ${mutant.mutatorName} | \`${(mutant.replacement ?? '').replace(/\s+/g, ' ').replaceAll('|', '\\|').slice(0, 60)}\` |`,
        ),
    )
    .sort();
  return [
    '# Mutation testing: the latest run',
    '',
    `${badgeLine(report, date)}`,
    '',
    'Written by `npm run test:mutation -- --refresh-baseline` from `mutation/baseline.json`',
    '([how-to](../docs/how-to/mutation-testing.md)). Score: mutants detected (killed or timed out) over all valid',
    'mutants; static mutants are ignored, not counted.',
    '',
    '| folder | score % | killed | timed out | survived | no coverage | ignored (static) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...folders.map(row),
    row({ ...total, folder: '**all**' }),
    '',
    `## Survivors (${survivors.length})`,
    '',
    survivors.length === 0 ? 'None.' : '| where | status | mutator | replaced by |',
    ...(survivors.length === 0 ? [] : ['| --- | --- | --- | --- |', ...survivors]),
    '',
  ].join('\n');
};

import { readFileSync } from 'node:fs';
import {
  badgeLine,
  folderOf,
  formatScore,
  mergeReports,
  scoresByFolder,
  summaryMarkdown,
  type MutantStatus,
  type MutationReport,
} from '../../scripts/mutation/report.ts';

const at = { start: { line: 3, column: 1 }, end: { line: 3, column: 9 } };
const mutant = (id: string, status: MutantStatus, tests: { coveredBy?: string[]; killedBy?: string[] } = {}) => ({
  id,
  mutatorName: 'EqualityOperator',
  replacement: 'a <= b',
  status,
  location: at,
  ...tests,
});

const report = (
  files: MutationReport['files'],
  testFiles: MutationReport['testFiles'] = {},
  extra: Record<string, unknown> = {},
): MutationReport => ({
  schemaVersion: '1.0',
  thresholds: { high: 92, low: 85, break: 90 },
  files,
  testFiles,
  ...extra,
});

describe('merging the reports of runs over parts of the code', () => {
  const core = report(
    {
      'src/core/bus.ts': {
        language: 'typescript',
        source: 'bus',
        mutants: [mutant('1', 'Killed', { coveredBy: ['0', '1'], killedBy: ['1'] })],
      },
    },
    {
      'tests/unit/core/bus.test.ts': {
        source: 'bus tests',
        tests: [
          { id: '0', name: 'bus a' },
          { id: '1', name: 'bus b' },
        ],
      },
    },
    { projectRoot: '/home/someone/kingdom', config: { concurrency: 2 } },
  );
  const identity = report(
    {
      'src/identity/domain/user.ts': {
        language: 'typescript',
        source: 'user',
        mutants: [mutant('1', 'Survived', { coveredBy: ['0', '1'] })],
      },
    },
    {
      'tests/unit/core/bus.test.ts': { source: 'bus tests', tests: [{ id: '0', name: 'bus b' }] },
      'tests/unit/identity/user.test.ts': { source: 'user tests', tests: [{ id: '1', name: 'user a' }] },
    },
  );

  it('renumbers the tests of every run so each mutant still names the tests that covered and killed it', () => {
    const merged = mergeReports([core, identity]);
    const testName = (id: string) =>
      Object.values(merged.testFiles ?? {})
        .flatMap((file) => file.tests)
        .find((test) => test.id === id)?.name;

    const bus = merged.files['src/core/bus.ts']?.mutants[0];
    const user = merged.files['src/identity/domain/user.ts']?.mutants[0];
    expect(bus?.coveredBy?.map(testName)).toEqual(['bus a', 'bus b']);
    expect(bus?.killedBy?.map(testName)).toEqual(['bus b']);
    expect(user?.coveredBy?.map(testName)).toEqual(['bus b', 'user a']);
    expect(merged.testFiles?.['tests/unit/core/bus.test.ts']?.tests).toHaveLength(2);
  });

  it('keeps no machine-specific field', () => {
    expect(Object.keys(mergeReports([core, identity])).sort()).toEqual([
      'files',
      'schemaVersion',
      'testFiles',
      'thresholds',
    ]);
  });

  it('refuses to merge nothing', () => {
    expect(() => mergeReports([])).toThrow('no report given');
  });
});

describe('the score by folder', () => {
  const scored = report({
    'src/core/pagination.ts': {
      language: 'typescript',
      source: '',
      mutants: [mutant('1', 'Killed'), mutant('2', 'Timeout'), mutant('3', 'Survived'), mutant('4', 'Ignored')],
    },
    'src/identity/domain/user.ts': {
      language: 'typescript',
      source: '',
      mutants: [mutant('5', 'Killed'), mutant('6', 'NoCoverage'), mutant('7', 'CompileError')],
    },
    'src/identity/domain/session.ts': { language: 'typescript', source: '', mutants: [mutant('8', 'Killed')] },
    'src/jobs/services/ports.ts': { language: 'typescript', source: 'types only', mutants: [] },
  });

  it('groups files as core or a context’s domain/services folder', () => {
    expect(folderOf('src/core/bus.ts')).toBe('src/core');
    expect(folderOf('src/access/services/handlers.ts')).toBe('src/access/services');
    expect(folderOf('src/inventory/domain/sub/deep.ts')).toBe('src/inventory/domain');
  });

  it('counts detected (killed, timed out) over valid mutants; ignored, errors and types-only files count for nothing', () => {
    const { folders, total } = scoresByFolder(scored);

    expect(folders.map(({ folder, score }) => [folder, score])).toEqual([
      ['src/core', (2 / 3) * 100],
      ['src/identity/domain', (2 / 3) * 100],
    ]);
    expect(total.tally).toEqual({ killed: 3, timeout: 1, survived: 1, noCoverage: 1, ignored: 1, errors: 1 });
    expect(total.score).toBe((4 / 6) * 100);
  });

  it('floors to one decimal, so a score just under the target never reads as reaching it', () => {
    expect(formatScore(91.99)).toBe('91.9');
    expect(formatScore(100)).toBe('100.0');
  });

  it('reads as one line for the README and as a table with every survivor for the summary', () => {
    expect(badgeLine(scored, '2026-12-05')).toBe(
      '**Mutation score 66.6%** (2026-12-05): core 66.6 · identity/domain 66.6',
    );
    const summary = summaryMarkdown(scored, '2026-12-05');
    expect(summary).toContain('| src/core | 66.6 | 1 | 1 | 1 | 0 | 1 |');
    expect(summary).toContain('| **all** | 66.6 | 3 | 1 | 1 | 1 | 1 |');
    expect(summary).toContain('## Survivors (2)');
    expect(summary).toContain('| src/core/pagination.ts:3 | Survived | EqualityOperator | `a <= b` |');
    expect(summary).toContain('| src/identity/domain/user.ts:3 | NoCoverage | EqualityOperator | `a <= b` |');
  });
});

describe('the committed results (mutation/)', () => {
  const root = new URL('../../', import.meta.url);
  const text = (file: string) => readFileSync(new URL(file, root), 'utf8');
  const baseline = JSON.parse(text('mutation/baseline.json')) as MutationReport;

  it('show, in the summary and the README, the scores of the committed baseline', () => {
    const summary = text('mutation/summary.md');
    const date = /^\*\*Mutation score [\d.]+%\*\* \((\d{4}-\d{2}-\d{2})\)/m.exec(summary)?.[1] ?? 'no date';
    expect(summary).toBe(summaryMarkdown(baseline, date));
    expect(text('README.md')).toContain(badgeLine(baseline, date));
  });
});

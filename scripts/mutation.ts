/**
 * `npm run test:mutation` (docs/how-to/mutation-testing.md):
 *
 *   npm run test:mutation                             the check CI runs: an incremental Stryker run against the
 *                                                     committed baseline (mutation/baseline.json), failing under
 *                                                     the break threshold; writes nothing that is committed
 *   npm run test:mutation -- --refresh-baseline       the same run, then writes the baseline, mutation/summary.md
 *                                                     and the README's score line anew: commit them
 *   npm run test:mutation -- --refresh-baseline --force    every mutant again, ignoring the baseline
 *   npm run test:mutation -- --estimate               how far the tree is from the baseline, without running
 *
 * Other options go to Stryker (`--concurrency 1`, `--mutate 'src/identity/**\/*.ts'`; with --refresh-baseline a
 * run over part of the code is merged into the baseline). The check has a budget: when the tree is so far from the
 * baseline that the incremental run would test more than MUTATION_CI_MAX_MUTANTS mutants (default below, about four
 * minutes on two cores), it does not run them but says so, names the files and passes, as long as the committed
 * score itself is above the break threshold. A baseline left behind by a change is a chore for whoever commits the
 * next refresh, not a red build; `--force` runs the check whatever its size.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, globSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  badgeLine,
  formatScore,
  mergeReports,
  scoresByFolder,
  summaryMarkdown,
  type MutationReport,
} from './mutation/report.ts';
import { stalenessOf, type Sources } from './mutation/staleness.ts';

const BASELINE = 'mutation/baseline.json';
const SUMMARY = 'mutation/summary.md';
const README = 'README.md';
const SCRATCH = 'reports/mutation/incremental.json';
const DEFAULT_MAX_MUTANTS = 120;
const README_LINE = /^( *)\*\*Mutation score.*$/m; // the line only, whatever its indent

type StrykerConfig = { mutate: string[]; thresholds: { break: number } };
type JestConfig = { testMatch: string[] };
const loadDefault = async <T>(fileName: string): Promise<T> =>
  ((await import(pathToFileURL(fileName).href)) as { default: T }).default;
const stryker = await loadDefault<StrykerConfig>('stryker.config.mjs');
const jest = await loadDefault<JestConfig>('jest.stryker.config.js');

const read = (fileName: string): MutationReport => JSON.parse(readFileSync(fileName, 'utf8')) as MutationReport;
const sourcesOf = (patterns: readonly string[]): Sources =>
  Object.fromEntries(
    globSync(patterns.map((pattern) => pattern.replace('<rootDir>/', ''))).map((name) => [
      name,
      readFileSync(name, 'utf8'),
    ]),
  );
const today = (): string => new Date().toISOString().slice(0, 10);
const minutes = (since: number): string => `${((Date.now() - since) / 60_000).toFixed(1)} min`;

const args = process.argv.slice(2);
const refresh = args.includes('--refresh-baseline');
const estimateOnly = args.includes('--estimate');
const strykerArgs = args.filter((arg) => arg !== '--refresh-baseline' && arg !== '--estimate');
const forced = strykerArgs.includes('--force');
const maxMutants = Number(process.env.MUTATION_CI_MAX_MUTANTS ?? DEFAULT_MAX_MUTANTS);

const baseline = existsSync(BASELINE) ? read(BASELINE) : undefined;
const code = sourcesOf(stryker.mutate);
const tests = sourcesOf(jest.testMatch);
if (baseline) {
  const stale = stalenessOf(baseline, code, tests);
  const committed = scoresByFolder(baseline).total.score;
  console.log(
    `mutation: baseline score ${formatScore(committed)}%; since it, ${stale.changedCode.length} code and ` +
      `${stale.changedTests.length} test file(s) changed, about ${stale.mutants} mutant(s) to test again`,
  );
  if (estimateOnly) {
    console.log([...stale.changedCode, ...stale.changedTests].map((name) => `  ${name}`).join('\n'));
    process.exit(0);
  }
  if (!refresh && !forced && stale.mutants > maxMutants) {
    console.log(
      `mutation: more than this check's budget of ${maxMutants} mutants: not run. Changed since the baseline:\n` +
        [...stale.changedCode, ...stale.changedTests].map((name) => `  ${name}`).join('\n') +
        '\nRefresh it: npm run test:mutation -- --refresh-baseline, then commit mutation/ and README.md.',
    );
    if (committed < stryker.thresholds.break) {
      console.error(`mutation: the committed score is under the break threshold (${stryker.thresholds.break}%)`);
      process.exit(1);
    }
    process.exit(0);
  }
}

// Stryker reads and rewrites its incremental file: it works on a copy, so the check leaves the baseline alone.
mkdirSync('reports/mutation', { recursive: true });
rmSync(SCRATCH, { force: true });
if (baseline) copyFileSync(BASELINE, SCRATCH);
const started = Date.now();
const run = spawnSync('npx', ['stryker', 'run', '--incrementalFile', SCRATCH, ...strykerArgs], { stdio: 'inherit' });
console.log(`mutation: Stryker ran for ${minutes(started)}`);
const status = run.status ?? 1;
if (!refresh) process.exit(status);

// Under the threshold Stryker exits 1 after writing its report: the baseline then shows the lower score, honestly.
if (!existsSync(SCRATCH) || statSync(SCRATCH).mtimeMs < started) {
  console.error('mutation: Stryker wrote no report; the baseline is unchanged');
  process.exit(status || 1);
}
// A run over part of the code (--mutate) is merged into the baseline; a run over all of it replaces it.
const mutateAt = strykerArgs.findIndex((arg) => arg === '-m' || arg === '--mutate');
const partial = mutateAt >= 0 ? (strykerArgs[mutateAt + 1] ?? '').split(',') : undefined;
const scratch = read(SCRATCH);
const merged = mergeReports([...(baseline && partial ? [baseline] : []), scratch]);
// A file the run mutated but Stryker does not report holds no mutant (types only): recorded empty, so that the next
// check knows it unchanged rather than new.
const ran = new Set(partial ? globSync(partial) : Object.keys(code));
const fileOf = (name: string) =>
  merged.files[name] ?? (ran.has(name) ? { language: 'typescript', source: code[name] ?? '', mutants: [] } : undefined);
const current = {
  ...merged,
  files: Object.fromEntries(
    Object.keys(code)
      .sort()
      .flatMap((name) => {
        const file = fileOf(name);
        return file ? [[name, file]] : [];
      }),
  ),
  // Test files Stryker did not run (none of their tests reaches mutated code) are recorded without tests, so that
  // the next check does not count them as new.
  testFiles: {
    ...Object.fromEntries(Object.entries(tests).map(([name, source]) => [name, { tests: [], source }])),
    ...merged.testFiles,
  },
};
writeFileSync(BASELINE, `${JSON.stringify(current)}\n`);
writeFileSync(SUMMARY, summaryMarkdown(current, today()));
const line = badgeLine(current, today());
const readme = readFileSync(README, 'utf8');
if (README_LINE.test(readme))
  writeFileSync(
    README,
    readme.replace(README_LINE, (_line, indent: string) => `${indent}${line}`),
  );
else console.error(`mutation: no score line in ${README} to update`);
console.log(`mutation: wrote ${BASELINE}, ${SUMMARY} and ${README}'s line:\n${line}`);
process.exit(status);

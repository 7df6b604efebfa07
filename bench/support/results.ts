/**
 * Where the benchmarks read and write. Markdown summaries go to results/ (committed when they back a finding);
 * the full JSON of a run goes to results/json/ (git-ignored: large, and only needed to compare or re-render runs).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The repository root: the app the benchmarks build, start and import. */
export const REPOSITORY = path.resolve(import.meta.dirname, '..', '..');

export const DEFAULT_RESULTS_DIR = path.resolve(import.meta.dirname, '..', 'results');

/**
 * npm runs a workspace's script in the workspace folder, but paths on the command line (`--out`, `--baseline`, ...)
 * mean what they meant where npm was started: INIT_CWD, which npm sets to that directory.
 */
const CALLER_DIRECTORY = process.env.INIT_CWD ?? process.cwd();

export const fromCaller = (file: string): string => path.resolve(CALLER_DIRECTORY, file);

/** A path as the caller would type it, for progress lines. */
export const shownPath = (file: string): string => path.relative(CALLER_DIRECTORY, file);

export const resultFiles = (directory: string, name: string) => ({
  markdown: path.join(directory, `${name}.md`),
  json: path.join(directory, 'json', `${name}.json`),
});

/** Writes both files; returns their paths. */
export const writeResults = async (directory: string, name: string, report: unknown, markdown: string) => {
  const files = resultFiles(directory, name);
  await mkdir(path.dirname(files.json), { recursive: true });
  await writeFile(files.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(files.markdown, markdown);
  return files;
};

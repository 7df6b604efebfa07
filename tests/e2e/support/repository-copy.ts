/**
 * Throwaway copies of the repository, for tests that run the development scripts (`npm run dev`, `npm run db:*`,
 * `npm run build`, `npm run generate`) and must edit or generate files (the SDL, current.sql, committed migrations,
 * dist/, whole contexts) without touching the real checkout. node_modules is a symlink to the real one.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { chmod, cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { repositoryRoot } from '../../../src/platform/repository-root.ts';

/** What the development scripts need of a checkout. */
const COPIED = [
  'src',
  'schema',
  'migrations',
  'scripts',
  'package.json',
  'codegen.yml',
  '.gmrc',
  'tsconfig.json',
  'tsconfig.build.json',
  // Read at start-up by a production server (TRUSTED_DOCUMENTS=log by default), from beside dist/.
  'persisted-query-manifest.json',
];

export type RepositoryCopy = { readonly root: string; remove(): Promise<void> };

/**
 * `private`: leave the folder as `mktemp -d` makes it (0700), as a newcomer's fresh clone in a private folder is; as
 * root, the 'postgres' user that runs embedded Postgres cannot reach into it. Otherwise it is opened (0755), for
 * tests that keep a data folder in the copy.
 */
export const copyRepository = async (
  prefix: string,
  options: { readonly private?: boolean } = {},
): Promise<RepositoryCopy> => {
  const root = await mkdtemp(join(tmpdir(), prefix));
  if (!options.private) await chmod(root, 0o755);
  await Promise.all(COPIED.map((entry) => cp(join(repositoryRoot, entry), join(root, entry), { recursive: true })));
  await symlink(join(repositoryRoot, 'node_modules'), join(root, 'node_modules'));
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
};

/** Git in a copy, as a throwaway identity that signs nothing. */
export const gitIn =
  (root: string) =>
  (...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=kingdom', '-c', 'user.email=kingdom@example.com', ...args], {
      cwd: root,
      encoding: 'utf8',
    });

/**
 * The whole working tree as git sees it (tracked and untracked files, not ignored ones, so work not yet committed
 * is copied too), committed as the first commit of a repository of its own: `git status` in the copy then shows
 * exactly what a test changed in it.
 */
export const copyWorkingTree = async (prefix: string): Promise<RepositoryCopy> => {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repositoryRoot,
    encoding: 'utf8',
  }).split('\0');
  for (const file of files) {
    // A tracked file deleted in the working tree is listed too.
    if (!file || !existsSync(join(repositoryRoot, file))) continue;
    mkdirSync(dirname(join(root, file)), { recursive: true });
    copyFileSync(join(repositoryRoot, file), join(root, file));
  }
  await symlink(join(repositoryRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  const git = gitIn(root);
  git('init', '-q');
  execFileSync('sh', ['-c', 'echo node_modules >> .git/info/exclude'], { cwd: root });
  git('add', '-A');
  git('commit', '-q', '--no-gpg-sign', '-m', 'the repository as it was copied');
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
};

/** A developer's shell: jest sets NODE_ENV=test, and no database of the test run may leak in. */
export const developerEnvironment = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const {
    DATABASE_URL: _url,
    TEST_DATABASE_URL: _test,
    NODE_ENV: _env,
    KINGDOM_TEST_ADMIN_URL: _admin,
    ...inherited
  } = process.env;
  return { ...inherited, ...extra };
};

export type Result = { readonly code: number | null; readonly output: string };

/** Runs a command in a copy; never rejects, so tests can assert on failures too. */
export const runIn = (
  root: string,
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<Result> =>
  new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, FORCE_COLOR: '0' };
    // A child jest is a run of its own, not one of this run's workers.
    delete childEnv.JEST_WORKER_ID;
    const child = spawn(command, args, { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });

/** The same, throwing with the command's output unless it exits with 0; resolves with that output. */
export const mustSucceedIn = async (
  root: string,
  command: string,
  args: readonly string[],
  env?: NodeJS.ProcessEnv,
): Promise<string> => {
  const result = await runIn(root, command, args, env);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.code}:\n${result.output}`);
  return result.output;
};

/**
 * The copy's API process (`node src/main.ts`, as `npm start`) on `databaseUrl`, once it logs the URL it serves.
 * `stop()` sends SIGTERM and waits for the exit.
 */
export const serveFrom = async (
  root: string,
  databaseUrl: string,
  timeoutMs = 30_000,
): Promise<{ readonly url: string; stop(): Promise<void> }> => {
  const child = spawn(process.execPath, ['src/main.ts'], {
    cwd: root,
    // JSON lines, whatever the development default: the URL is read from the start-up line.
    env: developerEnvironment({ DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'info', LOG_FORMAT: 'json' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const logs: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not start:\n${logs.join('\n')}`)), timeoutMs);
      void exited.then(([code]) => reject(new Error(`the server exited with ${code}:\n${logs.join('\n')}`)));
      createInterface({ input: child.stdout }).on('line', (line) => {
        logs.push(line);
        const serving = /serving GraphQL at (\S+)"/.exec(line)?.[1];
        if (serving) {
          clearTimeout(timer);
          resolve(serving);
        }
      });
    });
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};

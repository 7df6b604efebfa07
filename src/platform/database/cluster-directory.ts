/**
 * The directory of an embedded cluster, looked at before we start Postgres there: fresh (needs initdb), a cluster, or
 * something else (refused). A persistent cluster's `postmaster.pid` may have been left behind by a killed run:
 * - stale file (process gone, or its PID reused by another program) -> removed;
 * - orphaned postmaster (the process that started it died) -> shut down, so we start a fresh one;
 * - postmaster of another live Node process (e.g. `npm run dev` while you run `npm run db:migrate`) -> shared: we
 *   connect to it and leave it running.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { nearestExisting, runsAsRoot, traversableByOthers } from './unprivileged-access.ts';

export type LiveCluster = { readonly kind: 'shared'; readonly port: number } | { readonly kind: 'none' };

export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export const waitFor = async (condition: () => boolean, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
};

const readProc = async (pid: number, file: string): Promise<string | undefined> =>
  readFile(`/proc/${pid}/${file}`, 'utf8').catch(() => undefined);

/** Line 1 of `postmaster.pid` is the postmaster's PID, line 4 its port. */
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

/** The cluster's directory, whether it needs initdb, and whether another process already runs it. */
export const prepareClusterDirectory = async (
  options: { readonly dataDir?: string; readonly persistent: boolean },
  log: (line: string) => void,
): Promise<{ dataDir: string; needsInit: boolean; live: LiveCluster }> => {
  if (!options.persistent) {
    const parent = path.resolve(options.dataDir ?? tmpdir());
    await mkdir(parent, { recursive: true });
    const dataDir = await mkdtemp(path.join(parent, 'kingdom-pg-'));
    return { dataDir, needsInit: true, live: { kind: 'none' } };
  }
  if (!options.dataDir) throw new Error('startEmbeddedPostgres: a persistent cluster needs a dataDir');
  const dataDir = path.resolve(options.dataDir);
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) {
    return { dataDir, needsInit: false, live: await reconcilePidFile(dataDir, log) };
  }
  if ((await readdir(dataDir).catch(() => [])).length > 0) {
    throw new Error(
      `embedded-postgres: ${dataDir} is not empty but holds no Postgres cluster (an interrupted initdb?); delete it`,
    );
  }
  if (runsAsRoot() && !traversableByOthers(nearestExisting(dataDir))) {
    throw new Error(
      `embedded-postgres: as root, Postgres runs as the 'postgres' user, who cannot reach ${dataDir} (a folder ` +
        'above it is closed to other users): set EMBEDDED_POSTGRES_DIR to a folder it can reach, or leave it unset',
    );
  }
  await mkdir(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  return { dataDir, needsInit: true, live: { kind: 'none' } };
};

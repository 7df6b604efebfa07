/**
 * `npm run worker` as a child process (`node src/worker.ts`), and polling helpers for what it does to the database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { repositoryRoot } from '../../../src/platform/repository-root.ts';

export type LogLine = { readonly msg?: string; readonly [field: string]: unknown };

export type WorkerProcess = {
  readonly child: ChildProcess;
  /** graphile-worker's pool id: `locked_by` of the jobs this process holds. */
  readonly workerId: string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Every JSON log line so far (stdout), and raw stderr chunks. */
  readonly logs: LogLine[];
  readonly stderr: string[];
};

const running = new Set<ChildProcess>();

/** Spawns the worker as `npm run worker` does, with a clean environment, and waits for "worker started". */
export const spawnWorker = async (
  environment: Record<string, string>,
  timeoutMs = 20_000,
  /** Its own process group, as a terminal runs it (then signal `-pid` to signal the group, as Ctrl-C does). */
  options: { readonly detached?: boolean } = {},
): Promise<WorkerProcess> => {
  // Jest sets NODE_ENV=test; the tests choose the database explicitly.
  const { DATABASE_URL: _url, TEST_DATABASE_URL: _test, NODE_ENV: _env, ...inherited } = process.env;
  const child = spawn(process.execPath, ['src/worker.ts'], {
    cwd: repositoryRoot,
    env: { ...inherited, NODE_ENV: 'test', LOG_LEVEL: 'info', EMAIL_TRANSPORT: 'table', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  running.add(child);
  const logs: LogLine[] = [];
  const stderr: string[] = [];
  const exited = once(child, 'exit').then(([code]) => {
    running.delete(child);
    return code as number | null;
  });
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      logs.push(JSON.parse(line) as LogLine);
    } catch {
      logs.push({ msg: line });
    }
  });
  const workerId = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${dump(logs, stderr)}`)), timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code} before starting:\n${dump(logs, stderr)}`));
    });
    const poll = setInterval(() => {
      const started = logs.find((line) => line.msg === 'worker started');
      if (!started) return;
      clearInterval(poll);
      clearTimeout(timer);
      resolve(String(started.workerId));
    }, 20);
    void exited.then(() => clearInterval(poll));
  });
  return { child, workerId, exited, logs, stderr };
};

const dump = (logs: readonly LogLine[], stderr: readonly string[]): string =>
  [...logs.map((line) => JSON.stringify(line)), ...stderr].join('\n');

/** For afterEach: a failed assertion must not leave a worker running behind the suite. */
export const killLeftoverWorkers = (): void => {
  for (const child of running) child.kill('SIGKILL');
};

/** Polls `probe` until it returns something other than undefined (or throws after `timeoutMs`). */
export const eventually = async <T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

/** Resolves with the exit code, or rejects if the process is still running after `timeoutMs`. */
export const exitWithin = async (worker: WorkerProcess, timeoutMs: number): Promise<number | null> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`worker still running after ${timeoutMs} ms:\n${dump(worker.logs, worker.stderr)}`)),
      timeoutMs,
    );
  });
  return Promise.race([worker.exited, timeout]).finally(() => clearTimeout(timer));
};

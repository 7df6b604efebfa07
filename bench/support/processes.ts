/**
 * Child processes under test (the Kingdom server, PostGraphile, the raw node:http ceiling) and what /proc says
 * about them: resident memory (VmRSS sampled during a round, VmHWM = the kernel's peak since the process started)
 * and CPU time (utime + stime, in clock ticks), so a round can report where the machine's cores went.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, symlink } from 'node:fs/promises';
import path from 'node:path';

export type ChildServer = {
  readonly name: string;
  readonly pid: number;
  readonly port: number;
  readonly url: string;
  readonly child: ChildProcess;
  /** The last lines the process wrote (stdout and stderr), for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with how it ended. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

export type ChildServerOptions = {
  readonly name: string;
  /** Arguments of `node` (the same Node binary as this process). */
  readonly args: readonly string[];
  /** The whole environment of the child: nothing from this process leaks in except PATH, HOME and TMPDIR. */
  readonly env: Readonly<Record<string, string>>;
  readonly port: number;
  /** Where GraphQL is served. */
  readonly path?: string;
  /** Polled with GET until it answers 200 (default: `path`, any HTTP answer). */
  readonly readyPath?: string;
  readonly startTimeoutMs?: number;
  readonly cwd?: string;
};

const baseEnvironment = (): Record<string, string> => {
  const environment: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR']) {
    const value = process.env[name];
    if (value !== undefined) environment[name] = value;
  }
  return environment;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const startChildServer = async (options: ChildServerOptions): Promise<ChildServer> => {
  const child = spawn(process.execPath, [...options.args], {
    cwd: options.cwd,
    env: { ...baseEnvironment(), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      lines.push(line.length > 2000 ? `${line.slice(0, 2000)}...` : line);
      if (lines.length > 200) lines.shift();
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const output = () => lines.join('\n');

  const stop = async (graceMs = 15_000) => {
    if (!hasExited) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(killer);
      }
    }
    return exited;
  };

  const path = options.path ?? '/graphql';
  const url = `http://127.0.0.1:${options.port}${path}`;
  const readyUrl = `http://127.0.0.1:${options.port}${options.readyPath ?? path}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (hasExited) {
      const { code, signal } = await exited;
      throw new Error(`${options.name} exited during start-up (code ${code}, signal ${signal}):\n${output()}`);
    }
    try {
      const response = await fetch(readyUrl, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (!options.readyPath || response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop(2000);
      throw new Error(`${options.name} did not become ready at ${readyUrl}:\n${output()}`);
    }
    await sleep(100);
  }
  if (child.pid === undefined) throw new Error(`${options.name} has no pid`);
  return { name: options.name, pid: child.pid, port: options.port, url, child, output, stop };
};

/**
 * Makes `<root>/dist/main.js` (a copy of an earlier build) runnable on its own: the compiled server finds the SDL,
 * the migrations and its packages relative to the directory above dist/, so those are linked to the repository's.
 */
export const prepareBuildRoot = async (root: string, repository: string): Promise<void> => {
  if (!existsSync(path.join(root, 'dist', 'main.js'))) throw new Error(`${root}/dist/main.js does not exist`);
  // The trusted documents too: production mode loads the manifest at start-up (TRUSTED_DOCUMENTS=log).
  for (const name of [
    'node_modules',
    'schema',
    'migrations',
    '.gmrc',
    'package.json',
    'persisted-query-manifest.json',
  ]) {
    const link = path.join(root, name);
    if (!existsSync(link)) await symlink(path.join(repository, name), link);
  }
};

// ---------------------------------------------------------------------------------------------------------------
// /proc

let ticksPerSecond: number | undefined;
/** `getconf CLK_TCK` (100 on every Linux we know of). */
export const clockTicksPerSecond = (): number => {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
};

const readText = (file: string): Promise<string | null> => readFile(file, 'utf8').catch(() => null);

/** Fields of /proc/<pid>/stat after the command name (which may contain spaces): [0] is the state (field 3). */
const statFields = async (pid: number): Promise<string[] | null> => {
  const stat = await readText(`/proc/${pid}/stat`);
  return stat === null ? null : stat.slice(stat.lastIndexOf(')') + 2).split(' ');
};

export type MemorySample = { readonly rssKiB: number; readonly hwmKiB: number };

/** VmRSS and VmHWM (peak resident set since the process started) from /proc/<pid>/status; null when gone. */
export const memoryOf = async (pid: number): Promise<MemorySample | null> => {
  const status = await readText(`/proc/${pid}/status`);
  if (status === null) return null;
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssKiB: field('VmRSS'), hwmKiB: field('VmHWM') };
};

/**
 * CPU time of a process in clock ticks (utime + stime, every thread). With `withChildren` (for the postmaster):
 * plus the CPU of its children, living ones read directly and exited ones through the postmaster's cutime +
 * cstime, so a backend that exits between two readings is not lost.
 */
export const cpuTicksOf = async (pid: number, withChildren = false): Promise<number | null> => {
  const fields = await statFields(pid);
  if (fields === null) return null;
  // After the ')' : state(3) ppid(4) ... utime(14) stime(15) cutime(16) cstime(17): index = field number - 3.
  const own = Number(fields[11]) + Number(fields[12]);
  if (!withChildren) return own;
  let total = own + Number(fields[13]) + Number(fields[14]);
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const child = await statFields(Number(entry));
    if (child && Number(child[1]) === pid) total += Number(child[11]) + Number(child[12]);
  }
  return total;
};

/** Busy CPU of the whole machine (every core), in clock ticks, from the first line of /proc/stat. */
export const machineBusyTicks = async (): Promise<number | null> => {
  const stat = await readText('/proc/stat');
  const fields = stat?.split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number);
  if (!fields || fields.length < 4) return null;
  // user nice system idle iowait irq softirq steal ...: busy = everything but idle and iowait.
  const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
  return total - fields[3]! - (fields[4] ?? 0);
};

export type MemoryWatch = {
  /** Stops sampling; the peak VmRSS seen per watched process, in MiB (null when it could not be read). */
  stop(): Promise<Record<string, number | null>>;
};

/** Samples VmRSS of each process every `intervalMs` and keeps the peak. */
export const watchMemory = (pids: Readonly<Record<string, number>>, intervalMs = 100): MemoryWatch => {
  const peaks: Record<string, number | null> = Object.fromEntries(Object.keys(pids).map((name) => [name, null]));
  let sampling: Promise<void> = Promise.resolve();
  const sample = () => {
    sampling = (async () => {
      for (const [name, pid] of Object.entries(pids)) {
        const memory = await memoryOf(pid);
        if (memory && Number.isFinite(memory.rssKiB)) peaks[name] = Math.max(peaks[name] ?? 0, memory.rssKiB);
      }
    })();
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop: async () => {
      clearInterval(timer);
      await sampling;
      sample();
      await sampling;
      return Object.fromEntries(
        Object.entries(peaks).map(([name, kib]) => [name, kib === null ? null : Number((kib / 1024).toFixed(1))]),
      );
    },
  };
};

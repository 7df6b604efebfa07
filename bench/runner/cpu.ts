/**
 * Where the machine's cores went during a round: the server under test, Postgres, the load generator, and every
 * other process (a shared machine). Readings come from /proc, in clock ticks.
 */
import type { CpuShare, ServerName } from '../report/types.ts';
import { round } from '../support/cli.ts';
import { clockTicksPerSecond, cpuTicksOf, machineBusyTicks, type ChildServer } from '../support/processes.ts';

/** Everything this run started, for CPU accounting: whatever else the machine does is "other". */
export type Processes = {
  readonly servers: Readonly<Record<ServerName, ChildServer | null>>;
  readonly postmasterPid: number;
  readonly loadGeneratorPid: number;
};

type CpuReading = {
  readonly at: number;
  readonly machine: number | null;
  readonly self: number;
  readonly servers: Readonly<Record<ServerName, number | null>>;
  readonly postgres: number | null;
  readonly loadGenerator: number | null;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const readCpu = async (processes: Processes): Promise<CpuReading> => {
  const servers = Object.fromEntries(
    await Promise.all(
      (Object.entries(processes.servers) as Array<[ServerName, ChildServer | null]>).map(
        async ([name, server]) => [name, server ? await cpuTicksOf(server.pid) : null] as const,
      ),
    ),
  ) as Record<ServerName, number | null>;
  const usage = process.cpuUsage();
  return {
    at: performance.now(),
    machine: await machineBusyTicks(),
    // µs of this process, in clock ticks like the others.
    self: ((usage.user + usage.system) / 1e6) * clockTicksPerSecond(),
    servers,
    postgres: processes.postmasterPid > 1 ? await cpuTicksOf(processes.postmasterPid, true) : null,
    loadGenerator: await cpuTicksOf(processes.loadGeneratorPid),
  };
};

/** CPU used between two readings in % of one core: the server under test, Postgres, the load generator, the rest. */
export const cpuBetween = (before: CpuReading, after: CpuReading, server: ServerName): CpuShare => {
  const seconds = (after.at - before.at) / 1000;
  const percent = (a: number | null, b: number | null) =>
    a === null || b === null ? null : round((100 * (b - a)) / clockTicksPerSecond() / seconds, 1);
  // Servers this run did not start read as null on both sides and count as 0.
  const ours = [
    percent(before.self, after.self),
    ...(Object.keys(before.servers) as ServerName[]).map((name) =>
      before.servers[name] === null && after.servers[name] === null
        ? 0
        : percent(before.servers[name], after.servers[name]),
    ),
    percent(before.postgres, after.postgres),
    percent(before.loadGenerator, after.loadGenerator),
  ];
  const machine = percent(before.machine, after.machine);
  return {
    server: percent(before.servers[server], after.servers[server]),
    postgres: percent(before.postgres, after.postgres),
    loadGenerator: percent(before.loadGenerator, after.loadGenerator),
    machine,
    otherProcesses:
      machine === null || ours.some((value) => value === null)
        ? null
        : round(Math.max(0, machine - ours.reduce<number>((sum, value) => sum + (value ?? 0), 0)), 1),
  };
};

/**
 * On a shared machine, other work steals the cores the servers compete for: before each round, wait (up to
 * --quiet-wait seconds) until processes this run did not start use less than --quiet-threshold % of one core over
 * a one-second sample. The CPU they use during the round is recorded either way.
 */
export const waitForQuiet = async (
  processes: Processes,
  gate: { readonly quietWait: number; readonly quietThreshold: number },
): Promise<{ waitedSeconds: number; otherProcesses: number | null }> => {
  const started = performance.now();
  for (;;) {
    const before = await readCpu(processes);
    await sleep(1000);
    const share = cpuBetween(before, await readCpu(processes), 'kingdom');
    const waitedSeconds = round((performance.now() - started) / 1000, 1);
    if (
      share.otherProcesses === null ||
      share.otherProcesses < gate.quietThreshold ||
      waitedSeconds >= gate.quietWait
    ) {
      return { waitedSeconds, otherProcesses: share.otherProcesses };
    }
  }
};

/** One measured round of one scenario, and the aggregate of a scenario's rounds. */
import type { RoundResult, ScenarioResult } from '../report/types.ts';
import { ROLES, tokenOf, type Scenario, type Tokens } from '../scenarios.ts';
import { progress, round, secondsSinceStart } from '../support/cli.ts';
import { jsonHeaders } from '../support/graphql-client.ts';
import type { LoadGenerator } from '../support/load.ts';
import type { LoadJob, LoadResult } from '../support/load-protocol.ts';
import { watchMemory, type ChildServer } from '../support/processes.ts';
import type { StatementCounter } from '../support/statements.ts';
import { statistics } from '../support/stats.ts';
import { cpuBetween, readCpu, waitForQuiet, type Processes } from './cpu.ts';
import type { RunOptions } from './options.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const loadJob = (scenario: Scenario, server: ChildServer, tokens: Tokens, durationSeconds: number): LoadJob => ({
  url: server.url,
  headers: jsonHeaders(tokenOf(scenario.caller, tokens)),
  body:
    scenario.body.kind === 'allocate'
      ? { ...scenario.body, orderPrefix: `${scenario.body.orderPrefix}-${Math.random().toString(36).slice(2, 8)}` }
      : scenario.body,
  connections: scenario.connections,
  durationSeconds,
  timeoutSeconds: 10,
  graphql: scenario.server !== 'raw',
});

const decodeSamples = (base64: string): Float32Array => {
  const bytes = Buffer.from(base64, 'base64');
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
};

export const measureRound = async (
  scenario: Scenario,
  roundNumber: number,
  context: {
    readonly options: RunOptions;
    readonly load: LoadGenerator;
    readonly statements: StatementCounter;
    readonly processes: Processes;
    readonly tokens: Tokens;
  },
) => {
  const { options, load, statements, processes, tokens } = context;
  const server = processes.servers[scenario.server]!;
  const role = ROLES[scenario.server];
  const quiet =
    options.quietWait > 0 ? await waitForQuiet(processes, options) : { waitedSeconds: 0, otherProcesses: null };
  if (quiet.waitedSeconds >= options.quietWait && options.quietWait > 0) {
    progress(`the machine stayed busy (${quiet.otherProcesses}% of a core used by other processes): measuring anyway`);
  }
  if (role) await statements.reset();
  const startedAtSecond = round(secondsSinceStart(), 1);
  const memory = watchMemory({ server: server.pid });
  const before = await readCpu(processes);
  const result = await load.run(loadJob(scenario, server, tokens, options.duration));
  const cpu = cpuBetween(before, await readCpu(processes), scenario.server);
  const peaks = await memory.stop();
  // Requests cut off at the end of the round may still be running: let them finish before reading the counters.
  await sleep(300);
  const tally = role ? await statements.read(role) : null;
  const { latencySamples, ...loadResult } = result;
  return {
    round: {
      round: roundNumber,
      startedAtSecond,
      quietWaitSeconds: quiet.waitedSeconds,
      load: loadResult,
      statementsPerRequest: tally && result.responses > 0 ? round(tally.total / result.responses, 2) : null,
      statements: tally ? { ...tally, top: tally.top.slice(0, 8) } : null,
      peakRssMiB: peaks.server ?? null,
      cpuPercentOfOneCore: cpu,
    } satisfies RoundResult,
    samples: decodeSamples(latencySamples),
  };
};

export const describeErrors = (result: Pick<LoadResult, 'non2xx' | 'transport' | 'graphqlErrors'>): string => {
  const transport = result.transport.errors + result.transport.timeouts + result.transport.resets;
  const codes = Object.entries(result.graphqlErrors.byCode).map(([code, count]) => `${code} ${count}`);
  const parts = [
    ...(result.non2xx ? [`non-2xx ${result.non2xx}`] : []),
    ...(transport ? [`transport ${transport}`] : []),
    ...codes,
  ];
  return parts.length === 0 ? 'none' : parts.join(', ');
};

const mean = (values: ReadonlyArray<number | null>): number | null => {
  const present = values.filter((value): value is number => value !== null);
  return present.length === 0 ? null : round(present.reduce((sum, value) => sum + value, 0) / present.length, 1);
};

const sum = (rounds: readonly RoundResult[], of: (r: RoundResult) => number): number =>
  rounds.reduce((total, r) => total + of(r), 0);

export const aggregate = (
  rounds: readonly RoundResult[],
  samples: readonly Float32Array[],
): ScenarioResult['aggregate'] => {
  const all = new Float64Array(samples.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of samples) {
    all.set(part, offset);
    offset += part.length;
  }
  const responses = sum(rounds, (r) => r.load.responses);
  const durationSeconds = sum(rounds, (r) => r.load.durationSeconds);
  const byCode: Record<string, number> = {};
  for (const r of rounds)
    for (const [code, count] of Object.entries(r.load.graphqlErrors.byCode)) byCode[code] = (byCode[code] ?? 0) + count;
  const non2xx = sum(rounds, (r) => r.load.non2xx);
  const graphqlErrorResponses = sum(rounds, (r) => r.load.graphqlErrors.responses);
  const transportErrors = sum(
    rounds,
    (r) => r.load.transport.errors + r.load.transport.timeouts + r.load.transport.resets,
  );
  const statementTotal = rounds.every((r) => r.statements !== null)
    ? sum(rounds, (r) => r.statements?.total ?? 0)
    : null;
  const peaks = rounds.map((r) => r.peakRssMiB).filter((value): value is number => value !== null);
  const cpu = (of: (share: RoundResult['cpuPercentOfOneCore']) => number | null) =>
    mean(rounds.map((r) => of(r.cpuPercentOfOneCore)));
  return {
    responses,
    durationSeconds: round(durationSeconds, 2),
    requestsPerSecond: durationSeconds > 0 ? round(responses / durationSeconds, 1) : 0,
    roundRequestsPerSecond: rounds.map((r) => r.load.requestsPerSecond),
    latency: statistics(all),
    non2xx,
    transportErrors,
    graphqlErrors: { responses: graphqlErrorResponses, byCode },
    // A response with GraphQL errors may also be non-2xx: count each failed response once, at most.
    successRate:
      responses === 0 ? 0 : round(Math.max(0, responses - Math.max(non2xx, graphqlErrorResponses)) / responses, 4),
    statementsPerRequestUnderLoad:
      statementTotal === null || responses === 0 ? null : round(statementTotal / responses, 2),
    peakRssMiB: peaks.length === 0 ? null : Math.max(...peaks),
    cpuPercentOfOneCore: {
      server: cpu((share) => share.server),
      postgres: cpu((share) => share.postgres),
      loadGenerator: cpu((share) => share.loadGenerator),
      machine: cpu((share) => share.machine),
      otherProcesses: cpu((share) => share.otherProcesses),
    },
  };
};

/** The shape of bench/results/<date>.json and its Markdown summary. */
import type { LoadResult } from './load-protocol.ts';
import type { machineInfo } from './machine.ts';
import type { postgresInfo } from './postgres.ts';
import type { ProfileSummary } from './profile.ts';
import type { StatementTally } from './statements.ts';
import type { Stats } from './stats.ts';

export type GroupName = 'typename' | 'viewer' | 'nested' | 'memory' | 'allocate' | 'contended';
/**
 * `baseline`: an earlier Kingdom build run side by side (--baseline-dist). `apollo` and `graphqljs`: measuring
 * sticks for `{ __typename }`, Apollo Server alone and graphql-js alone on node:http (support/*-alone-server.ts).
 */
export type ServerName = 'kingdom' | 'baseline' | 'raw' | 'postgraphile' | 'apollo' | 'graphqljs';

export type CpuShare = {
  readonly server: number | null;
  readonly postgres: number | null;
  readonly loadGenerator: number | null;
  /** Busy time of every core together (200 = both cores of a 2-core machine). */
  readonly machine: number | null;
  /** The machine's busy time minus every process this run started: other work on a shared machine. */
  readonly otherProcesses: number | null;
};

export type RoundResult = {
  readonly round: number;
  readonly startedAtSecond: number;
  /** Seconds spent waiting for other processes to calm down before the round. */
  readonly quietWaitSeconds: number;
  readonly load: Omit<LoadResult, 'latencySamples'>;
  /** pg_stat_statements calls for the server's role during the round / responses. */
  readonly statementsPerRequest: number | null;
  readonly statements: StatementTally | null;
  readonly peakRssMiB: number | null;
  readonly cpuPercentOfOneCore: CpuShare;
};

export type ScenarioResult = {
  readonly key: string;
  readonly group: GroupName;
  readonly title: string;
  readonly server: ServerName;
  readonly kind: 'read' | 'write';
  readonly connections: number;
  readonly calibration:
    | (StatementTally & { readonly requests: number; readonly perRequest: number; readonly queriesPerRequest: number })
    | null;
  readonly warmup: { readonly seconds: number; readonly responses: number; readonly requestsPerSecond: number } | null;
  readonly rounds: RoundResult[];
  readonly aggregate: {
    readonly responses: number;
    readonly durationSeconds: number;
    readonly requestsPerSecond: number;
    readonly roundRequestsPerSecond: number[];
    readonly latency: Stats;
    readonly non2xx: number;
    readonly transportErrors: number;
    readonly graphqlErrors: { readonly responses: number; readonly byCode: Record<string, number> };
    /** Share of responses that were a success (2xx without GraphQL errors). */
    readonly successRate: number;
    readonly statementsPerRequestUnderLoad: number | null;
    readonly peakRssMiB: number | null;
    readonly cpuPercentOfOneCore: CpuShare;
  };
};

export type TargetVerdict = {
  readonly target: string;
  readonly measured: string;
  readonly value: number | null;
  readonly threshold: number;
  readonly verdict: 'PASS' | 'MISS' | 'N/A';
};

type BeforeAfter = { readonly before: number | null; readonly after: number | null; readonly ratio?: number | null };

export type BaselineComparison = {
  readonly file: string;
  readonly date: string;
  readonly label: string | null;
  readonly scenarios: ReadonlyArray<{
    readonly key: string;
    readonly requestsPerSecond: BeforeAfter;
    readonly p50Ms: BeforeAfter;
    readonly p99Ms: BeforeAfter;
    readonly statementsPerRequest: BeforeAfter;
    readonly serverCpuPercent: BeforeAfter;
  }>;
};

export type BenchReport = {
  readonly benchmark: 'kingdom';
  readonly date: string;
  readonly label: string | null;
  readonly mode: 'full' | 'quick' | 'profile';
  readonly machine: ReturnType<typeof machineInfo>;
  readonly postgres: Awaited<ReturnType<typeof postgresInfo>>;
  readonly dataset: {
    readonly products: number;
    readonly batches: number;
    readonly allocations: number;
    readonly [key: string]: unknown;
  };
  readonly method: {
    /** How each server was started; `baseline` only with --baseline-dist. */
    readonly servers: { readonly kingdom: string; readonly baseline?: string } & Readonly<Record<string, string>>;
    readonly connections: number;
    readonly memoryConnections: number;
    readonly roundSeconds: number;
    readonly warmupSeconds: number;
    readonly rounds: number;
    readonly nestedEquivalence: { readonly equivalent: boolean; readonly differences: readonly string[] } | null;
    readonly [key: string]: unknown;
  };
  readonly scenarios: ScenarioResult[];
  /** VmRSS of each server after start-up and the checks, before any load. */
  readonly startupRssMiB: Record<string, number | null>;
  readonly highWaterRssMiB: Record<string, number | null>;
  readonly targets: TargetVerdict[];
  readonly profile: ProfileSummary | null;
  /** With --profile and --baseline-dist: the baseline build's profile, from the same run. */
  readonly profileBaseline: ProfileSummary | null;
  readonly baseline: BaselineComparison | null;
  readonly durationSeconds: number;
};

// ---------------------------------------------------------------------------------------------------------------
// Markdown

const SERVER_LABEL: Record<ServerName, string> = {
  kingdom: 'Kingdom',
  baseline: 'Kingdom (baseline build)',
  raw: 'raw node:http',
  postgraphile: 'PostGraphile 5',
  apollo: 'Apollo Server 5 alone',
  graphqljs: 'graphql-js alone',
};

const number = (value: number | null | undefined, digits = 1): string =>
  value === null || value === undefined || !Number.isFinite(value)
    ? '-'
    : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });

const errorsOf = (scenario: ScenarioResult): string => {
  const { non2xx, transportErrors, graphqlErrors } = scenario.aggregate;
  const codes = Object.entries(graphqlErrors.byCode).map(([code, count]) => `${code} ${number(count, 0)}`);
  const parts = [`${number(non2xx, 0)} / ${number(transportErrors, 0)}`, codes.length > 0 ? codes.join(', ') : 'none'];
  return parts.join(' / ');
};

const ratioText = (value: number | null): string => (value === null ? '-' : `${value.toFixed(2)}x`);

export const renderMarkdown = (report: BenchReport): string => {
  const { machine, postgres, dataset, method } = report;
  const lines: string[] = [];
  const scenario = (key: string) => report.scenarios.find((candidate) => candidate.key === key) ?? null;
  const rps = (key: string) => scenario(key)?.aggregate.requestsPerSecond ?? null;
  const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : a / b);

  lines.push(`# Kingdom benchmark, ${report.date.slice(0, 10)}${report.label ? ` (${report.label})` : ''}`);
  lines.push('');
  lines.push(
    `${machine.cpus} x ${machine.cpuModel}, ${number(machine.totalMemoryMiB / 1024, 1)} GiB, ${machine.os}, Node ${machine.node}; ` +
      `Postgres ${postgres.version} (embedded, fsync off); load average at the end ${machine.loadAverage.join(' ')}.`,
  );
  lines.push(
    `Data: ${number(dataset.products, 0)} products, ${number(dataset.batches, 0)} batches, ${number(dataset.allocations, 0)} ` +
      `allocated lines. Load: autocannon in its own process, ${method.connections} connections ` +
      `(memory rounds: ${method.memoryConnections}), ${method.rounds} round(s) of ${method.roundSeconds} s per scenario ` +
      `after ${method.warmupSeconds} s of warm-up, servers alternating round by round. Mode: ${report.mode}; ` +
      `the whole run took ${number(report.durationSeconds, 0)} s.`,
  );
  const kingdomServers = [method.servers.kingdom, method.servers.baseline].filter((line) => line !== undefined);
  lines.push(`Kingdom: ${kingdomServers.join('; baseline build: ')}.`);
  if (report.mode === 'profile') {
    lines.push(
      '',
      '> CPU profiling (`--cpu-prof`) slows the server: the figures of this run are not comparable to others.',
    );
  }
  if (report.mode === 'quick') {
    lines.push('', '> Quick mode: a smoke run (small data, short rounds). Do not compare its figures with full runs.');
  }

  lines.push('', '## Results', '');
  lines.push(
    '| scenario | server | conn. | req/s | p50 ms | p90 ms | p99 ms | max ms | errors: non-2xx / transport / GraphQL | SQL/req (calibrated; under load) | peak RSS MiB | CPU % of a core: server / Postgres / load gen / other |',
  );
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|---|---|---:|---|');
  for (const result of report.scenarios) {
    const { aggregate } = result;
    const calibrated = result.calibration;
    const sqlText =
      calibrated === null
        ? '-'
        : `${number(calibrated.perRequest, 2)}${calibrated.transactionControl > 0 ? ` (${number(calibrated.queriesPerRequest, 2)} + tx control)` : ''}; ${number(aggregate.statementsPerRequestUnderLoad, 2)}`;
    const cpu = aggregate.cpuPercentOfOneCore;
    lines.push(
      `| ${result.title} | ${SERVER_LABEL[result.server]} | ${result.connections} | ${number(aggregate.requestsPerSecond, 0)} | ` +
        `${number(aggregate.latency.medianMs, 2)} | ${number(aggregate.latency.p90Ms, 2)} | ${number(aggregate.latency.p99Ms, 2)} | ` +
        `${number(aggregate.latency.maxMs, 1)} | ${errorsOf(result)} | ${sqlText} | ${number(aggregate.peakRssMiB, 1)} | ` +
        `${number(cpu.server, 0)} / ${number(cpu.postgres, 0)} / ${number(cpu.loadGenerator, 0)} / ${number(cpu.otherProcesses, 0)} |`,
    );
  }
  lines.push('');
  lines.push(
    `Resident memory after start-up (VmRSS): ` +
      Object.entries(report.startupRssMiB)
        .filter(([, value]) => value !== null)
        .map(([name, value]) => `${SERVER_LABEL[name as ServerName] ?? name} ${number(value, 1)} MiB`)
        .join(', ') +
      '. ' +
      `Peak over the whole run (VmHWM): ` +
      Object.entries(report.highWaterRssMiB)
        .filter(([, value]) => value !== null)
        .map(([name, value]) => `${SERVER_LABEL[name as ServerName] ?? name} ${number(value, 1)} MiB`)
        .join(', ') +
      '.',
  );
  const perRound = report.scenarios
    .filter((result) => result.rounds.length > 1)
    .map(
      (result) =>
        `${result.key} ${result.aggregate.roundRequestsPerSecond.map((value) => number(value, 0)).join(' / ')}`,
    );
  if (perRound.length > 0)
    lines.push('', `Requests/s per round (spread between rounds = noise): ${perRound.join('; ')}.`);

  lines.push('', '## Ratios', '');
  lines.push('| Kingdom scenario | vs raw node:http | vs PostGraphile 5 |', '|---|---:|---:|');
  const typenameRaw = ratio(rps('typename'), rps('typename-raw'));
  const typenamePostGraphile = ratio(rps('typename'), rps('typename-postgraphile'));
  if (scenario('typename'))
    lines.push(`| { __typename } (req/s) | ${ratioText(typenameRaw)} | ${ratioText(typenamePostGraphile)} |`);
  if (scenario('nested')) {
    lines.push(
      `| products(first: 20) with batches (req/s) | - | ${ratioText(ratio(rps('nested'), rps('nested-postgraphile')))} |`,
    );
  }
  if (scenario('nested-100')) {
    lines.push(
      `| products(first: 20) with batches at ${method.memoryConnections} connections (req/s) | - | ${ratioText(ratio(rps('nested-100'), rps('nested-100-postgraphile')))} |`,
    );
    const memoryOurs = scenario('nested-100')?.aggregate.peakRssMiB ?? null;
    const memoryTheirs = scenario('nested-100-postgraphile')?.aggregate.peakRssMiB ?? null;
    lines.push(
      `| peak RSS at ${method.memoryConnections} connections | - | ${ratioText(ratio(memoryOurs, memoryTheirs))} |`,
    );
  }
  if (scenario('typename-apollo') || scenario('typename-graphqljs')) {
    // Where the { __typename } ceiling really is for each design: what the HTTP framework around graphql-js costs.
    lines.push(
      '',
      '| { __typename } (req/s) | vs raw node:http | Kingdom vs it |',
      '|---|---:|---:|',
      `| Apollo Server 5 alone (the chosen stack's floor: its pipeline, a one-field schema, nothing of ours) | ${ratioText(ratio(rps('typename-apollo'), rps('typename-raw')))} | ${ratioText(ratio(rps('typename'), rps('typename-apollo')))} |`,
      `| graphql-js alone (documents parsed and validated once, execute, JSON.stringify) | ${ratioText(ratio(rps('typename-graphqljs'), rps('typename-raw')))} | ${ratioText(ratio(rps('typename'), rps('typename-graphqljs')))} |`,
    );
  }
  if (method.nestedEquivalence) {
    lines.push(
      '',
      `Nested answers of Kingdom and PostGraphile: ${method.nestedEquivalence.equivalent ? 'equivalent (same products, fields and batches)' : `DIFFERENT: ${method.nestedEquivalence.differences.join('; ')}`}.`,
    );
  }

  const pairs = report.scenarios.flatMap((result) => {
    const earlier = result.server === 'kingdom' ? scenario(`${result.key}@baseline`) : null;
    return earlier ? [{ current: result, earlier }] : [];
  });
  if (pairs.length > 0) {
    lines.push('', '## This build vs the baseline build (same run, alternating rounds)', '');
    lines.push(
      '| scenario | req/s baseline | req/s this build | ratio | p50 ms baseline -> this | p99 ms baseline -> this | SQL/req baseline -> this | server CPU % baseline -> this |',
    );
    lines.push('|---|---:|---:|---:|---|---|---|---|');
    for (const { current, earlier } of pairs) {
      const [a, b] = [earlier.aggregate, current.aggregate];
      lines.push(
        `| ${current.key} | ${number(a.requestsPerSecond, 0)} | ${number(b.requestsPerSecond, 0)} | ${ratioText(ratio(b.requestsPerSecond, a.requestsPerSecond))} | ` +
          `${number(a.latency.medianMs, 2)} -> ${number(b.latency.medianMs, 2)} | ${number(a.latency.p99Ms, 2)} -> ${number(b.latency.p99Ms, 2)} | ` +
          `${number(earlier.calibration?.perRequest, 2)} -> ${number(current.calibration?.perRequest, 2)} | ` +
          `${number(a.cpuPercentOfOneCore.server, 0)} -> ${number(b.cpuPercentOfOneCore.server, 0)} |`,
      );
    }
  }

  lines.push('', '## Targets', '', '| target | measured | verdict |', '|---|---|---|');
  for (const target of report.targets) lines.push(`| ${target.target} | ${target.measured} | ${target.verdict} |`);

  lines.push('', '## SQL statements per request (pg_stat_statements, 20 sequential requests)', '');
  for (const result of report.scenarios) {
    if (!result.calibration) continue;
    const { calibration } = result;
    lines.push(
      `- **${result.key}** (${SERVER_LABEL[result.server]}): ${number(calibration.perRequest, 2)} per request, ` +
        `${number(calibration.executionMs / calibration.requests, 3)} ms of Postgres execution per request`,
    );
    for (const statement of calibration.top) {
      lines.push(
        `  - ${number(statement.calls / calibration.requests, 2)} x (${number(statement.meanMs, 3)} ms) \`${statement.query.slice(0, 160)}\``,
      );
    }
  }

  const samples = report.scenarios.flatMap((result) =>
    result.rounds.flatMap((round) =>
      Object.entries(round.load.graphqlErrors.samples).map(([code, bodies]) => ({
        key: result.key,
        code,
        body: bodies[0] ?? '',
      })),
    ),
  );
  const seen = new Set<string>();
  const distinct = samples.filter(
    (sample) => !seen.has(`${sample.key}|${sample.code}`) && seen.add(`${sample.key}|${sample.code}`),
  );
  if (distinct.length > 0) {
    lines.push('', '## GraphQL error samples', '');
    for (const sample of distinct) lines.push(`- ${sample.key}, ${sample.code}: \`${sample.body.slice(0, 240)}\``);
  }

  if (report.baseline) {
    lines.push('', `## Before/after (baseline: ${report.baseline.file}, ${report.baseline.date.slice(0, 10)})`, '');
    lines.push(
      '| scenario | req/s before | req/s after | after/before | p50 before | p50 after | p99 before | p99 after | SQL/req before -> after | server CPU % before -> after |',
    );
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---|---|');
    for (const row of report.baseline.scenarios) {
      lines.push(
        `| ${row.key} | ${number(row.requestsPerSecond.before, 0)} | ${number(row.requestsPerSecond.after, 0)} | ${ratioText(row.requestsPerSecond.ratio ?? null)} | ` +
          `${number(row.p50Ms.before, 2)} | ${number(row.p50Ms.after, 2)} | ${number(row.p99Ms.before, 2)} | ${number(row.p99Ms.after, 2)} | ` +
          `${number(row.statementsPerRequest.before, 2)} -> ${number(row.statementsPerRequest.after, 2)} | ` +
          `${number(row.serverCpuPercent.before, 0)} -> ${number(row.serverCpuPercent.after, 0)} |`,
      );
    }
  }

  const renderProfile = (title: string, profile: ProfileSummary) => {
    lines.push('', `## ${title} (${profile.file.split('/').slice(-2).join('/')})`, '');
    lines.push(`Sampled ${number(profile.sampledMs / 1000, 1)} s, busy ${number(profile.busyMs / 1000, 1)} s.`, '');
    lines.push('On the stack (share of busy time during which the code was anywhere on the stack):', '');
    lines.push('| area | ms | % of busy |', '|---|---:|---:|');
    for (const row of profile.onStackByArea.slice(0, 40))
      lines.push(`| ${row.area} | ${number(row.ms, 0)} | ${number(row.percentOfBusy, 1)} |`);
    lines.push('', 'Self time by area:', '', '| area | ms | % of busy |', '|---|---:|---:|');
    for (const row of profile.selfByArea.slice(0, 25))
      lines.push(`| ${row.area} | ${number(row.ms, 0)} | ${number(row.percentOfBusy, 1)} |`);
    lines.push('', 'Hottest functions (self time):', '', '| function | area | ms | % of busy |', '|---|---|---:|---:|');
    for (const row of profile.topSelf.slice(0, 30))
      lines.push(`| \`${row.frame}\` | ${row.area} | ${number(row.ms, 0)} | ${number(row.percentOfBusy, 1)} |`);
  };
  if (report.profile) renderProfile('CPU profile of the server', report.profile);
  if (report.profileBaseline) renderProfile('CPU profile of the baseline build', report.profileBaseline);
  lines.push('');
  return lines.join('\n');
};

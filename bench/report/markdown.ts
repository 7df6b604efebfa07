/** The Markdown summary of a benchmark report: printed at the end of a run and kept as results/<date>.md. */
import { beforeAfter, buildVsBaseline, ratios } from './markdown-comparisons.ts';
import { errorSamples, profiles, statements, targets } from './markdown-details.ts';
import { number, SERVER_LABEL } from './format.ts';
import type { BenchReport, ScenarioResult, ServerName } from './types.ts';

const errorsOf = (scenario: ScenarioResult): string => {
  const { non2xx, transportErrors, graphqlErrors } = scenario.aggregate;
  const codes = Object.entries(graphqlErrors.byCode).map(([code, count]) => `${code} ${number(count, 0)}`);
  const parts = [`${number(non2xx, 0)} / ${number(transportErrors, 0)}`, codes.length > 0 ? codes.join(', ') : 'none'];
  return parts.join(' / ');
};

const header = (report: BenchReport): string[] => {
  const { machine, postgres, dataset, method } = report;
  const lines: string[] = [];
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
  return lines;
};

const memoryLine = (title: string, values: Record<string, number | null>): string =>
  `${title}: ` +
  Object.entries(values)
    .filter(([, value]) => value !== null)
    .map(([name, value]) => `${SERVER_LABEL[name as ServerName] ?? name} ${number(value, 1)} MiB`)
    .join(', ');

const results = (report: BenchReport): string[] => {
  const lines: string[] = ['', '## Results', ''];
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
    `${memoryLine('Resident memory after start-up (VmRSS)', report.startupRssMiB)}. ` +
      `${memoryLine('Peak over the whole run (VmHWM)', report.highWaterRssMiB)}.`,
  );
  const perRound = report.scenarios
    .filter((result) => result.rounds.length > 1)
    .map(
      (result) =>
        `${result.key} ${result.aggregate.roundRequestsPerSecond.map((value) => number(value, 0)).join(' / ')}`,
    );
  if (perRound.length > 0)
    lines.push('', `Requests/s per round (spread between rounds = noise): ${perRound.join('; ')}.`);
  return lines;
};

/** The subscriptions group (runner/subscriptions.ts), when it ran. */
const subscriptions = (report: BenchReport): string[] => {
  if (!report.subscriptions?.length) return [];
  const lines = ['', '## Subscriptions', ''];
  lines.push(
    '| scenario | events | after the commit: p50 ms | p90 ms | p99 ms | max ms | from sending the mutation: p50 / p99 ms | last subscriber per event, p50 / max ms | mutation answer p50 / p99 ms | missing | errors | server RSS MiB: before / idle / peak |',
  );
  lines.push('|---|---:|---:|---:|---:|---:|---|---|---|---:|---|---|');
  for (const result of report.subscriptions) {
    const { afterCommit: commit, deliveries, lastDeliveryPerEvent: last, answer, rssMiB } = result;
    const errors = Object.entries(result.errors).map(([code, count]) => `${code} ${count}`);
    lines.push(
      `| ${result.title} | ${result.events} | ${number(commit.medianMs, 1)} | ${number(commit.p90Ms, 1)} | ` +
        `${number(commit.p99Ms, 1)} | ${number(commit.maxMs, 1)} | ${number(deliveries.medianMs, 1)} / ${number(deliveries.p99Ms, 1)} | ` +
        `${number(last.medianMs, 1)} / ${number(last.maxMs, 1)} | ` +
        `${number(answer.medianMs, 1)} / ${number(answer.p99Ms, 1)} | ${result.missing} | ${errors.length > 0 ? errors.join(', ') : 'none'} | ` +
        `${number(rssMiB.before, 1)} / ${number(rssMiB.idle, 1)} / ${number(rssMiB.peak, 1)} |`,
    );
  }
  lines.push(
    '',
    `Delivery: ms to each subscriber reading its \`next\` message, every delivery of every event; after the commit ` +
      `= from the moment the commit's NOTIFY reached a LISTEN connection of the subscribers' process (what the ` +
      `server's listener hears too); from sending the mutation = the allocate's own time included. ` +
      `${String(report.method.subscriptions ?? '')}.`,
  );
  return lines;
};

const SECTIONS = [
  header,
  results,
  subscriptions,
  ratios,
  buildVsBaseline,
  targets,
  statements,
  errorSamples,
  beforeAfter,
  profiles,
];

export const renderMarkdown = (report: BenchReport): string =>
  [...SECTIONS.flatMap((section) => section(report)), ''].join('\n');

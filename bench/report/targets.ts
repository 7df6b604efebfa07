/** The targets the benchmark checks (a MISS never fails the run), and the comparison with an earlier results file. */
import path from 'node:path';
import { round } from '../support/cli.ts';
import { REPOSITORY } from '../support/results.ts';
import { ratio } from '../support/stats.ts';
import type { BaselineComparison, BenchReport, ScenarioResult, SubscriptionResult, TargetVerdict } from './types.ts';

const MB_PER_MIB = 1.048576;
const TARGETS = {
  typenameVsRaw: 0.5,
  nestedVsPostGraphile: 1.0,
  nestedStatements: 3,
  deepVsFirst: 1.5,
  /** 200 MB: decimal megabytes, i.e. 190.7 MiB of VmRSS (which the kernel reports in KiB). */
  rssMB: 200,
  readP99Ms: 50,
  /** Every subscriber has a committed change within this, at p99 (1,000 subscribers, one event at a time). */
  subscriptionP99Ms: 100,
} as const;

const verdict = (value: number | null, ok: (value: number) => boolean): TargetVerdict['verdict'] =>
  value === null ? 'N/A' : ok(value) ? 'PASS' : 'MISS';

/** One verdict per scenario of the subscriptions group: p99 of every delivery under the target. */
const subscriptionTargets = (subscriptions: readonly SubscriptionResult[]): TargetVerdict[] =>
  subscriptions.map((result) => {
    const p99 = result.missing > 0 ? null : result.afterCommit.p99Ms;
    return {
      target: `subscriptions: every subscriber within ${TARGETS.subscriptionP99Ms} ms of the commit at p99 (${result.title})`,
      measured:
        p99 === null
          ? `${result.missing} deliveries missing`
          : `p99 ${p99} ms after the commit (from sending the mutation: ${result.deliveries.p99Ms} ms), ${result.events} events`,
      value: p99,
      threshold: TARGETS.subscriptionP99Ms,
      verdict: result.missing > 0 ? 'MISS' : verdict(p99, (value) => value <= TARGETS.subscriptionP99Ms),
    };
  });

export const evaluateTargets = (
  results: ReadonlyMap<string, ScenarioResult>,
  { connections, memoryConnections }: { readonly connections: number; readonly memoryConnections: number },
  subscriptions: readonly SubscriptionResult[] = [],
): TargetVerdict[] => [
  ...httpTargets(results, { connections, memoryConnections }),
  ...subscriptionTargets(subscriptions),
];

const httpTargets = (
  results: ReadonlyMap<string, ScenarioResult>,
  { connections, memoryConnections }: { readonly connections: number; readonly memoryConnections: number },
): TargetVerdict[] => {
  const get = (key: string) => results.get(key)?.aggregate ?? null;
  const typename = get('typename');
  const typenameRaw = get('typename-raw');
  const nested = get('nested');
  const nestedPostGraphile = get('nested-postgraphile');
  const deep = get('deep');
  const typenameRatio = ratio(typename?.requestsPerSecond, typenameRaw?.requestsPerSecond);
  const nestedRatio = ratio(nested?.requestsPerSecond, nestedPostGraphile?.requestsPerSecond);
  const nestedStatements = results.get('nested')?.calibration?.perRequest ?? null;
  const deepRatio = ratio(deep?.latency.medianMs, nested?.latency.medianMs);
  const memoryRss = get('nested-100')?.peakRssMiB ?? null;
  const reads = [...results.values()].filter(
    (r) => r.kind === 'read' && r.server === 'kingdom' && r.connections === connections,
  );
  const worstP99 = reads.length === 0 ? null : Math.max(...reads.map((r) => r.aggregate.latency.p99Ms));
  const worstP99Scenario = reads.find((r) => r.aggregate.latency.p99Ms === worstP99)?.key ?? '-';
  const measured = (value: number | null, text: () => string) => (value === null ? 'not measured' : text());
  return [
    {
      target: `{ __typename } >= ${TARGETS.typenameVsRaw * 100}% of raw node:http (req/s)`,
      measured: measured(
        typenameRatio,
        () => `${typename!.requestsPerSecond} / ${typenameRaw!.requestsPerSecond} req/s = ${typenameRatio}`,
      ),
      value: typenameRatio,
      threshold: TARGETS.typenameVsRaw,
      verdict: verdict(typenameRatio, (value) => value >= TARGETS.typenameVsRaw),
    },
    {
      target: `nested products(first: 20) >= ${TARGETS.nestedVsPostGraphile}x PostGraphile (req/s)`,
      measured: measured(
        nestedRatio,
        () => `${nested!.requestsPerSecond} / ${nestedPostGraphile!.requestsPerSecond} req/s = ${nestedRatio}x`,
      ),
      value: nestedRatio,
      threshold: TARGETS.nestedVsPostGraphile,
      verdict: verdict(nestedRatio, (value) => value >= TARGETS.nestedVsPostGraphile),
    },
    {
      target: `nested products(first: 20): <= ${TARGETS.nestedStatements} SQL statements per request`,
      measured: measured(nestedStatements, () => `${nestedStatements} (pg_stat_statements, 20 sequential requests)`),
      value: nestedStatements,
      threshold: TARGETS.nestedStatements,
      verdict: verdict(nestedStatements, (value) => value <= TARGETS.nestedStatements),
    },
    {
      target: `deep page within ${TARGETS.deepVsFirst}x of the first page (median latency)`,
      measured: measured(deepRatio, () => `${deep!.latency.medianMs} / ${nested!.latency.medianMs} ms = ${deepRatio}x`),
      value: deepRatio,
      threshold: TARGETS.deepVsFirst,
      verdict: verdict(deepRatio, (value) => value <= TARGETS.deepVsFirst),
    },
    {
      target: `server RSS < ${TARGETS.rssMB} MB (${round(TARGETS.rssMB / MB_PER_MIB, 1)} MiB) at ${memoryConnections} connections`,
      measured: measured(
        memoryRss,
        () =>
          `peak VmRSS ${memoryRss} MiB = ${round(memoryRss! * MB_PER_MIB, 1)} MB (nested, ${memoryConnections} connections)`,
      ),
      value: memoryRss === null ? null : round(memoryRss * MB_PER_MIB, 1),
      threshold: TARGETS.rssMB,
      verdict: verdict(memoryRss, (value) => value * MB_PER_MIB < TARGETS.rssMB),
    },
    {
      target: `p99 < ${TARGETS.readP99Ms} ms for every read scenario at ${connections} connections`,
      measured: measured(worstP99, () => `worst p99 ${worstP99} ms (${worstP99Scenario})`),
      value: worstP99,
      threshold: TARGETS.readP99Ms,
      verdict: verdict(worstP99, (value) => value < TARGETS.readP99Ms),
    },
  ];
};

const beforeAfter = (before: number | null, after: number | null) => ({ before, after, ratio: ratio(after, before) });

/** --baseline FILE: each scenario of this run next to the same scenario of an earlier run. */
export const compareWithBaseline = (
  baseline: BenchReport,
  current: readonly ScenarioResult[],
  file: string,
): BaselineComparison => ({
  file: path.relative(REPOSITORY, file),
  date: baseline.date,
  label: baseline.label,
  scenarios: current.flatMap((scenario) => {
    const before = baseline.scenarios.find((candidate) => candidate.key === scenario.key);
    if (!before) return [];
    return [
      {
        key: scenario.key,
        requestsPerSecond: beforeAfter(before.aggregate.requestsPerSecond, scenario.aggregate.requestsPerSecond),
        p50Ms: beforeAfter(before.aggregate.latency.medianMs, scenario.aggregate.latency.medianMs),
        p99Ms: beforeAfter(before.aggregate.latency.p99Ms, scenario.aggregate.latency.p99Ms),
        statementsPerRequest: {
          before: before.calibration?.perRequest ?? null,
          after: scenario.calibration?.perRequest ?? null,
        },
        serverCpuPercent: {
          before: before.aggregate.cpuPercentOfOneCore.server,
          after: scenario.aggregate.cpuPercentOfOneCore.server,
        },
      },
    ];
  }),
});

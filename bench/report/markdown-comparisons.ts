/** The report's comparisons: Kingdom against the other servers, and against an earlier build or results file. */
import { lookup, number, ratio, ratioText } from './format.ts';
import type { BenchReport } from './types.ts';

export const ratios = (report: BenchReport): string[] => {
  const { method } = report;
  const { scenario, rps } = lookup(report);
  const lines: string[] = ['', '## Ratios', ''];
  if (scenario('typename-raw') || scenario('nested-postgraphile') || scenario('nested-100-postgraphile'))
    lines.push('| Kingdom scenario | vs raw node:http | vs PostGraphile 5 |', '|---|---:|---:|');
  const typenameRaw = ratio(rps('typename'), rps('typename-raw'));
  const typenamePostGraphile = ratio(rps('typename'), rps('typename-postgraphile'));
  if (scenario('typename') && (scenario('typename-raw') || scenario('typename-postgraphile')))
    lines.push(`| { __typename } (req/s) | ${ratioText(typenameRaw)} | ${ratioText(typenamePostGraphile)} |`);
  if (scenario('nested') && scenario('nested-postgraphile')) {
    lines.push(
      `| products(first: 20) with batches (req/s) | - | ${ratioText(ratio(rps('nested'), rps('nested-postgraphile')))} |`,
      `| products(first: 20) with batches (p99 latency) | - | ${ratioText(ratio(scenario('nested')?.aggregate.latency.p99Ms ?? null, scenario('nested-postgraphile')?.aggregate.latency.p99Ms ?? null))} |`,
    );
  }
  if (scenario('nested-100') && scenario('nested-100-postgraphile')) {
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
  if (scenario('typename-enforce') || scenario('nested-enforce')) {
    // The same build with TRUSTED_DOCUMENTS=enforce (a manifest of the benchmark's own operations) against off.
    const latency = (key: string) => scenario(key)?.aggregate.latency.medianMs ?? null;
    lines.push(
      '',
      '| TRUSTED_DOCUMENTS=enforce vs off (same build, same run) | req/s enforce / off | p50 ms off -> enforce |',
      '|---|---:|---|',
      ...(['typename', 'nested'] as const)
        .filter((key) => scenario(`${key}-enforce`))
        .map(
          (key) =>
            `| ${scenario(key)?.title ?? key} | ${ratioText(ratio(rps(`${key}-enforce`), rps(key)))} | ` +
            `${number(latency(key), 2)} -> ${number(latency(`${key}-enforce`), 2)} |`,
        ),
    );
  }
  if (scenario('allocate-contended') && scenario('allocate-spread')) {
    lines.push(
      '',
      `Allocations on one hot product vs spread over every product (req/s): ${ratioText(ratio(rps('allocate-contended'), rps('allocate-spread')))}.`,
    );
  }
  if (method.nestedEquivalence) {
    lines.push(
      '',
      `Nested answers of Kingdom and PostGraphile: ${method.nestedEquivalence.equivalent ? 'equivalent (same products, fields and batches)' : `DIFFERENT: ${method.nestedEquivalence.differences.join('; ')}`}.`,
    );
  }
  return lines;
};

/** With --baseline-dist: each Kingdom scenario next to the same scenario on the earlier build, same run. */
export const buildVsBaseline = (report: BenchReport): string[] => {
  const { scenario } = lookup(report);
  const pairs = report.scenarios.flatMap((result) => {
    const earlier = result.server === 'kingdom' ? scenario(`${result.key}@baseline`) : null;
    return earlier ? [{ current: result, earlier }] : [];
  });
  if (pairs.length === 0) return [];
  const lines: string[] = ['', '## This build vs the baseline build (same run, alternating rounds)', ''];
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
  return lines;
};

/** With --baseline FILE: this run against an earlier results file (across runs). */
export const beforeAfter = (report: BenchReport): string[] => {
  if (!report.baseline) return [];
  const lines: string[] = [
    '',
    `## Before/after (baseline: ${report.baseline.file}, ${report.baseline.date.slice(0, 10)})`,
    '',
  ];
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
  return lines;
};

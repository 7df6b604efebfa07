/** The report's detail sections: targets, the SQL each scenario ran, GraphQL error samples, CPU profiles. */
import type { ProfileSummary } from '../support/profile.ts';
import { number, SERVER_LABEL } from './format.ts';
import type { BenchReport } from './types.ts';

export const targets = (report: BenchReport): string[] => [
  '',
  '## Targets',
  '',
  '| target | measured | verdict |',
  '|---|---|---|',
  ...report.targets.map((target) => `| ${target.target} | ${target.measured} | ${target.verdict} |`),
];

export const statements = (report: BenchReport): string[] => {
  const lines: string[] = ['', '## SQL statements per request (pg_stat_statements, 20 sequential requests)', ''];
  for (const result of report.scenarios) {
    if (!result.calibration) continue;
    const { calibration } = result;
    lines.push(
      `- **${result.key}** (${SERVER_LABEL[result.server]}): ${number(calibration.perRequest, 2)} per request` +
        `${calibration.coldPerRequest == null ? '' : ` (${number(calibration.coldPerRequest, 2)} on a cold permissions cache)`}, ` +
        `${number(calibration.executionMs / calibration.requests, 3)} ms of Postgres execution per request`,
    );
    for (const statement of calibration.top) {
      lines.push(
        `  - ${number(statement.calls / calibration.requests, 2)} x (${number(statement.meanMs, 3)} ms) \`${statement.query.slice(0, 160)}\``,
      );
    }
  }
  return lines;
};

/** The first body of each (scenario, error code), so a failed scenario says why. */
export const errorSamples = (report: BenchReport): string[] => {
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
  if (distinct.length === 0) return [];
  return [
    '',
    '## GraphQL error samples',
    '',
    ...distinct.map((sample) => `- ${sample.key}, ${sample.code}: \`${sample.body.slice(0, 240)}\``),
  ];
};

const profileSection = (title: string, profile: ProfileSummary): string[] => {
  const lines: string[] = ['', `## ${title} (${profile.file.split('/').slice(-2).join('/')})`, ''];
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
  return lines;
};

export const profiles = (report: BenchReport): string[] => [
  ...(report.profile ? profileSection('CPU profile of the server', report.profile) : []),
  ...(report.profileBaseline ? profileSection('CPU profile of the baseline build', report.profileBaseline) : []),
];

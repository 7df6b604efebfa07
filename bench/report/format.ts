/** Formatting shared by the Markdown sections of a benchmark report. */
import type { BenchReport, ScenarioResult, ServerName } from './types.ts';

export const SERVER_LABEL: Record<ServerName, string> = {
  kingdom: 'Kingdom',
  baseline: 'Kingdom (baseline build)',
  enforce: 'Kingdom, trusted documents enforced',
  raw: 'raw node:http',
  postgraphile: 'PostGraphile 5',
  apollo: 'Apollo Server 5 alone',
  graphqljs: 'graphql-js alone',
};

export const number = (value: number | null | undefined, digits = 1): string =>
  value === null || value === undefined || !Number.isFinite(value)
    ? '-'
    : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });

export const ratioText = (value: number | null): string => (value === null ? '-' : `${value.toFixed(2)}x`);

export const ratio = (a: number | null, b: number | null): number | null =>
  a === null || b === null || b === 0 ? null : a / b;

/** A scenario of the report by key, and its requests per second. */
export const lookup = (report: BenchReport) => {
  const scenario = (key: string): ScenarioResult | null =>
    report.scenarios.find((candidate) => candidate.key === key) ?? null;
  const rps = (key: string): number | null => scenario(key)?.aggregate.requestsPerSecond ?? null;
  return { scenario, rps };
};

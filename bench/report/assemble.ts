/** The report of a run: what was measured, on what, and how (the JSON), from which the Markdown is rendered. */
import path from 'node:path';
import type { RunOptions } from '../runner/options.ts';
import { HISTORY, HOT } from '../scenarios.ts';
import { round, secondsSinceStart } from '../support/cli.ts';
import { machineInfo } from '../support/machine.ts';
import type { ProfileSummary } from '../support/profile.ts';
import { compareWithBaseline, evaluateTargets } from './targets.ts';
import type { BenchReport, ScenarioResult, SubscriptionResult } from './types.ts';

export type RunFacts = {
  readonly date: Date;
  readonly buildSeconds: number | null;
  readonly postgres: BenchReport['postgres'];
  readonly seedMs: unknown;
  readonly relationBytes: unknown;
  readonly deep: { readonly position: number; readonly cursor: string; readonly firstSku: string };
  readonly equivalence: BenchReport['method']['nestedEquivalence'];
  readonly results: ReadonlyMap<string, ScenarioResult>;
  readonly subscriptions: readonly SubscriptionResult[] | undefined;
  readonly startupRss: Record<string, number | null>;
  readonly highWater: Record<string, number | null>;
  readonly profile: ProfileSummary | null;
  readonly profileBaseline: ProfileSummary | null;
  readonly baselineReport: BenchReport | null;
};

const method = (options: RunOptions, facts: RunFacts): BenchReport['method'] => {
  const profiling = options.profile ? ['--cpu-prof'] : [];
  const baselineMain = options.baselineRoot ? path.join(options.baselineRoot, 'dist', 'main.js') : null;
  return {
    build: options.build ? `npm run build in ${facts.buildSeconds} s` : 'existing dist/ (--no-build)',
    servers: {
      kingdom: `node ${[...options.serverNodeOptions, ...profiling, 'dist/main.js'].join(' ')}, NODE_ENV=production, defaults (DATABASE_POOL_SIZE 10) but TRUSTED_DOCUMENTS=off`,
      enforce: 'the same build with TRUSTED_DOCUMENTS=enforce and a manifest of the benchmark operations it serves',
      ...(baselineMain
        ? {
            baseline: `node ${[...options.baselineNodeOptions, ...profiling, baselineMain].join(' ')}, same environment${
              options.baselineTelemetry
                ? ' plus telemetry: OTEL_EXPORTER_OTLP_ENDPOINT (a local sink that discards the spans) and METRICS_PORT (scraped every 15 s)'
                : ''
            }`,
          }
        : {}),
      raw: 'node:http answering the exact bytes Kingdom answers to { __typename }',
      apollo:
        'Apollo Server 5 alone: executeHTTPGraphQLRequest on node:http, one-field schema, default plugins off as in Kingdom, no context',
      graphqljs: 'graphql-js alone on node:http: documents parsed and validated once, execute, JSON.stringify',
      postgraphile: 'PostGraphile 5 (amber preset, pg adaptor, grafserv/node), pool of 10, NODE_ENV=production',
    },
    loadGenerator:
      'autocannon 9 API in a separate process (bench/support/load-worker.ts), HTTP/1.1 keep-alive, no pipelining, 127.0.0.1',
    connections: options.connections,
    memoryConnections: options.memoryConnections,
    roundSeconds: options.duration,
    warmupSeconds: options.warmup,
    rounds: options.rounds,
    order: 'per group, servers alternate round by round (A, B, C, A, B, C ...) after one warm-up each',
    latency: 'every response timed by autocannon (hrtime, sub-millisecond); nearest-rank percentiles over all rounds',
    errors:
      'non-2xx from the status; transport = connection errors + timeouts + resets; GraphQL errors by extensions.code, every body checked for "errors"',
    sqlStatements:
      "pg_stat_statements filtered by the server's login role: calibrated with 20 sequential requests (exact, listed), and under load (calls / responses, includes requests cut off at the end of a round)",
    memory: 'VmRSS of the server process sampled every 100 ms during each round (peak), VmHWM at the end',
    cpu: 'utime+stime from /proc: server process, postmaster with all backends, load generator; machine = busy time of all cores from /proc/stat; other = machine minus every process of this run; % of one core',
    quietGate:
      options.quietWait > 0
        ? `before each round, waited up to ${options.quietWait} s for other processes to use < ${options.quietThreshold}% of a core`
        : 'none',
    deepPage: facts.deep,
    nestedEquivalence: facts.equivalence,
    subscriptions:
      `${options.subscribers} WebSockets (graphql-transport-ws, bench/support/subscriber-worker.ts, its own process) each ` +
      `following productChanged of one product; ${options.subscriptionEvents} events per scenario, one at a time: an ` +
      'allocate of that product sent by the same process; latency = from sending the mutation to each subscriber reading ' +
      'its next message; the server runs with WEBSOCKET_CONNECTIONS_PER_USER raised for the one-user scenario',
  };
};

export const assembleReport = (options: RunOptions, facts: RunFacts): BenchReport => ({
  benchmark: 'kingdom',
  date: facts.date.toISOString(),
  label: options.label,
  mode: options.profile ? 'profile' : options.quick ? 'quick' : 'full',
  machine: machineInfo(),
  postgres: facts.postgres,
  dataset: {
    products: options.products,
    batches: options.products * 3,
    allocations: Math.floor(options.products / 4),
    hotProduct: HOT,
    historyProducts: HISTORY,
    scopedReader: 'role bench-reader: PRODUCT and BATCH READ on OWNER; owns every product',
    seedMs: facts.seedMs,
    relationBytes: facts.relationBytes,
  },
  method: method(options, facts),
  scenarios: [...facts.results.values()],
  ...(facts.subscriptions ? { subscriptions: [...facts.subscriptions] } : {}),
  startupRssMiB: facts.startupRss,
  highWaterRssMiB: facts.highWater,
  targets: evaluateTargets(facts.results, options, facts.subscriptions),
  profile: facts.profile,
  profileBaseline: facts.profileBaseline,
  baseline:
    facts.baselineReport && options.baselineFile
      ? compareWithBaseline(facts.baselineReport, [...facts.results.values()], options.baselineFile)
      : null,
  durationSeconds: round(secondsSinceStart(), 1),
});

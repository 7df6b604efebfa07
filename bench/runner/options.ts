/** `npm run bench -- [options]`: the command line, checked and turned into one plain object. */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { GroupName, ServerName } from '../report/types.ts';
import { decimalNumber, wholeNumber } from '../support/cli.ts';
import { DEFAULT_RESULTS_DIR, fromCaller } from '../support/results.ts';

export const GROUP_NAMES: readonly GroupName[] = [
  'typename',
  'viewer',
  'nested',
  'memory',
  'allocate',
  'history',
  'subscriptions',
];

export const USAGE = `usage: npm run bench -- [options]
  --products N            products to seed (default 100000; --quick: 10000), each with 3 batches
  --quick                 10,000 products, 3 s rounds, 1 s warm-up, 1 round per server (a CI smoke run)
  --duration S            seconds per measured round (default 8; --quick: 3)
  --warmup S              seconds of warm-up per scenario before its first round (default 3; --quick: 1)
  --rounds R              measured rounds per scenario, alternating between servers (default 2; --quick: 1)
  --connections C         concurrent connections of every scenario (default 50)
  --memory-connections C  connections of the memory rounds (default 100)
  --only LIST             comma-separated groups: typename,viewer,nested,memory,allocate,history,subscriptions
  --skip LIST             servers not to start: enforce,raw,apollo,graphqljs,postgraphile (a shorter A/B run)
  --subscribers N         WebSocket subscribers of the subscriptions group (default 1000; --quick: 200)
  --subscription-events E events delivered to them per scenario (default 20; --quick: 5)
  --profile               CPU-profile the server (node --cpu-prof) on the nested scenario only
  --baseline FILE         an earlier results JSON: adds a before/after comparison (across runs)
  --baseline-dist DIR     a copy of an earlier dist/ (e.g. cp -r dist /tmp/before/dist before changing code): that
                          build runs side by side, alternating round by round with this one on every Kingdom scenario
  --label TEXT            suffix of the results files (<date>-<label>.md)
  --out DIR               where results go (default bench/results; the JSON in DIR/json)
  --no-build              use the existing dist/ instead of running npm run build
  --server-node-options "..."  extra Node flags for the Kingdom server, e.g. "--max-old-space-size=128"
  --baseline-node-options "..."  Node flags for the baseline build (default: --server-node-options); with
                          --baseline-dist pointing at a copy of the same dist/, compares flags instead of builds
  --baseline-telemetry    the baseline build runs with traces (OTLP to a local sink that discards them) and
                          metrics (METRICS_PORT, scraped every 15 s) on; with --baseline-dist pointing at a copy of
                          the same dist/, measures what telemetry costs
  --server-log FILE       write the last 200 lines the Kingdom server printed to FILE at the end (with
                          --server-node-options=--trace-gc: its heap sizes under load)
  --quiet-wait S          before each round, wait up to S seconds for other processes to calm down (default 10;
                          --quick: 0, no waiting)
  --quiet-threshold P     ... until they use less than P % of one core (default 25)
  --timeout-seconds S     the whole run is stopped after this (default 1800)`;

export type RunOptions = {
  readonly quick: boolean;
  readonly products: number;
  readonly duration: number;
  readonly warmup: number;
  readonly rounds: number;
  readonly connections: number;
  readonly memoryConnections: number;
  readonly subscribers: number;
  readonly subscriptionEvents: number;
  readonly timeoutMs: number;
  readonly profile: boolean;
  readonly serverNodeOptions: readonly string[];
  readonly baselineNodeOptions: readonly string[];
  /** The folder holding the earlier build's dist/ (--baseline-dist), or null. */
  readonly baselineRoot: string | null;
  /** The baseline runs with tracing and metrics on (--baseline-telemetry). */
  readonly baselineTelemetry: boolean;
  /** An earlier results JSON (--baseline), or null. */
  readonly baselineFile: string | null;
  readonly quietWait: number;
  readonly quietThreshold: number;
  readonly build: boolean;
  readonly only: ReadonlySet<GroupName>;
  /** Comparison servers not to start (--skip). */
  readonly skip: ReadonlySet<ServerName>;
  readonly label: string | null;
  readonly resultsDir: string;
  readonly serverLog: string | null;
};

const nodeFlags = (option: 'server-node-options' | 'baseline-node-options', value: string): string[] => {
  const flags = value.split(/\s+/).filter((flag) => flag !== '');
  if (flags.some((flag) => !flag.startsWith('--'))) throw new RangeError(`--${option} takes Node flags only`);
  return flags;
};

/** The options, or null when --help asked for the usage instead. */
export const parseRunOptions = (args: readonly string[]): RunOptions | null => {
  const { values: options } = parseArgs({
    args: [...args],
    options: {
      products: { type: 'string' },
      quick: { type: 'boolean', default: false },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string', default: '50' },
      'memory-connections': { type: 'string', default: '100' },
      subscribers: { type: 'string' },
      'subscription-events': { type: 'string' },
      only: { type: 'string' },
      skip: { type: 'string' },
      profile: { type: 'boolean', default: false },
      baseline: { type: 'string' },
      'baseline-dist': { type: 'string' },
      'baseline-telemetry': { type: 'boolean', default: false },
      label: { type: 'string' },
      out: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      'timeout-seconds': { type: 'string', default: '1800' },
      'quiet-wait': { type: 'string' },
      'server-node-options': { type: 'string', default: '' },
      'baseline-node-options': { type: 'string' },
      'server-log': { type: 'string' },
      'quiet-threshold': { type: 'string', default: '25' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (options.help) return null;

  const quick = options.quick;
  const profile = options.profile;
  // Checked in this order, so the first bad option is the one reported.
  const products = wholeNumber('products', options.products ?? (quick ? '10000' : '100000'), 1000, 50_000_000);
  const duration = wholeNumber('duration', options.duration ?? (quick ? '3' : '8'), 1, 3600);
  const warmup = decimalNumber('warmup', options.warmup ?? (quick ? '1' : '3'), 0, 600);
  const rounds = wholeNumber('rounds', options.rounds ?? (quick ? '1' : '2'), 1, 100);
  const connections = wholeNumber('connections', options.connections, 1, 10_000);
  const memoryConnections = wholeNumber('memory-connections', options['memory-connections'], 1, 10_000);
  const subscribers = wholeNumber('subscribers', options.subscribers ?? (quick ? '200' : '1000'), 1, 100_000);
  const subscriptionEvents = wholeNumber(
    'subscription-events',
    options['subscription-events'] ?? (quick ? '5' : '20'),
    1,
    10_000,
  );
  const timeoutMs = wholeNumber('timeout-seconds', options['timeout-seconds'], 30, 86_400) * 1000;
  const serverNodeOptions = nodeFlags('server-node-options', options['server-node-options']);
  // The baseline build runs with the same flags unless told otherwise: with a copy of the same dist/, this compares
  // Node flags (GC settings) side by side instead of builds.
  const baselineNodeOptions = nodeFlags(
    'baseline-node-options',
    options['baseline-node-options'] ?? options['server-node-options'],
  );
  const quietWait = decimalNumber('quiet-wait', options['quiet-wait'] ?? (quick ? '0' : '10'), 0, 3600);
  const quietThreshold = decimalNumber('quiet-threshold', options['quiet-threshold'], 0, 10_000);
  const only = new Set(
    (options.only ?? (profile ? 'nested' : GROUP_NAMES.join(','))).split(',').map((name) => {
      const trimmed = name.trim() as GroupName;
      if (!GROUP_NAMES.includes(trimmed))
        throw new RangeError(`--only: unknown group ${name} (${GROUP_NAMES.join(', ')})`);
      return trimmed;
    }),
  );
  if (options['baseline-telemetry'] && !options['baseline-dist'])
    throw new RangeError('--baseline-telemetry needs --baseline-dist (a copy of the same dist/ to compare with)');
  const skippable: readonly ServerName[] = ['enforce', 'raw', 'apollo', 'graphqljs', 'postgraphile'];
  const skip = new Set(
    (options.skip ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '')
      .map((name) => {
        if (!skippable.includes(name as ServerName))
          throw new RangeError(`--skip: ${name} is not one of ${skippable.join(', ')}`);
        return name as ServerName;
      }),
  );
  const label = options.label ?? (profile ? 'profile' : quick ? 'quick' : null);
  if (label !== null && !/^[A-Za-z0-9._-]{1,40}$/.test(label))
    throw new RangeError('--label: letters, digits, . _ - only');
  return {
    quick,
    products,
    duration,
    warmup,
    rounds,
    connections,
    memoryConnections,
    subscribers,
    subscriptionEvents,
    timeoutMs,
    profile,
    serverNodeOptions,
    baselineNodeOptions,
    baselineRoot: options['baseline-dist'] ? path.dirname(fromCaller(options['baseline-dist'])) : null,
    baselineTelemetry: options['baseline-telemetry'],
    baselineFile: options.baseline ? fromCaller(options.baseline) : null,
    quietWait,
    quietThreshold,
    build: !options['no-build'],
    only,
    skip,
    label,
    resultsDir: options.out ? fromCaller(options.out) : DEFAULT_RESULTS_DIR,
    serverLog: options['server-log'] ? fromCaller(options['server-log']) : null,
  };
};

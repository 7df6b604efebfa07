/**
 * The Kingdom benchmark (issue 9): the production build under HTTP load, next to a raw node:http server (the
 * ceiling) and PostGraphile 5 (the peer), on one machine, over 127.0.0.1 only. See bench/README.md.
 *
 *   npm run bench                        # 100,000 products x 3 batches, about four minutes on 2 cores
 *   npm run bench -- --quick             # 10,000 products, short rounds (about a minute): CI smoke run
 *   npm run bench -- --products 1000000  # a million products
 *   npm run bench -- --profile           # CPU profile of the server on the nested scenario (node --cpu-prof)
 *   npm run bench -- --baseline-dist /tmp/before/dist  # an earlier build side by side, round by round
 *
 * What it does:
 * 1. `npm run build`, then a throwaway Postgres 18 (embedded, no fsync) with pg_stat_statements, the committed
 *    migrations, and the data set of support/dataset.ts (products, 3 batches each, an allocated line on every 4th
 *    product, one hot product with plenty of stock).
 * 2. Three servers, each its own process, each connecting to Postgres as its own role: Kingdom (`node
 *    dist/main.js`, NODE_ENV=production, an administrator from KINGDOM_ADMIN_EMAIL/PASSWORD signed in through the
 *    logIn mutation), the raw node:http ceiling (support/raw-server.ts) and PostGraphile with the amber preset
 *    (support/postgraphile-server.ts).
 * 3. The load generator, a fourth process (support/load-worker.ts, autocannon's API), runs each scenario for
 *    `--duration` seconds after a warm-up; the servers compared in a group are measured in alternating rounds
 *    (A, B, C, A, B, C ...), so a drift of the machine hits all of them alike.
 * 4. Per round: requests/s, latency percentiles from every response's own time, non-2xx answers, transport errors,
 *    GraphQL errors by code (every body is checked), SQL statements from pg_stat_statements for the server's role,
 *    peak VmRSS of the server (sampled every 100 ms) and the CPU used by the server, Postgres, the load generator and
 *    other processes (a shared machine: before each round the run waits, briefly, for them to calm down).
 *    Before the load, each scenario is also calibrated: 20 sequential requests with pg_stat_statements reset, for an
 *    exact count of statements per request and the statements themselves.
 * 5. bench/results/<date>[-label].json and .md; the exit code is non-zero only when the run failed, never because
 *    a target was missed.
 */
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { runMigrations } from '../src/platform/database/migrate.ts';
import { createDatabasePool } from '../src/platform/database/pool.ts';
import { freePort } from '../tests/support/free-port.ts';
import { decimalNumber, errorText, progress, round, secondsSinceStart, wholeNumber } from './support/cli.ts';
import { cursorOf, rowsAround, seedDataset, SKU_ASC } from './support/dataset.ts';
import { graphqlBody, jsonHeaders, logIn, postGraphQL, queryOrThrow } from './support/graphql-client.ts';
import { createLifecycle, runToTheEnd } from './support/lifecycle.ts';
import { startLoadGenerator, type LoadGenerator } from './support/load.ts';
import type { LoadBody, LoadJob, LoadResult } from './support/load-protocol.ts';
import { machineInfo } from './support/machine.ts';
import {
  clockTicksPerSecond,
  cpuTicksOf,
  machineBusyTicks,
  memoryOf,
  prepareBuildRoot,
  startChildServer,
  watchMemory,
  type ChildServer,
} from './support/processes.ts';
import { createLoginRole, postgresInfo, relationSizes, roleUrl, startBenchPostgres } from './support/postgres.ts';
import { summariseProfile, type ProfileSummary } from './support/profile.ts';
import {
  renderMarkdown,
  type BaselineComparison,
  type BenchReport,
  type CpuShare,
  type GroupName,
  type RoundResult,
  type ScenarioResult,
  type ServerName,
  type TargetVerdict,
} from './support/report.ts';
import { createStatementCounter, type StatementCounter } from './support/statements.ts';
import { ratio, statistics } from './support/stats.ts';

// ---------------------------------------------------------------------------------------------------------------
// Options

const { values: options } = parseArgs({
  options: {
    products: { type: 'string' },
    quick: { type: 'boolean', default: false },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    rounds: { type: 'string' },
    connections: { type: 'string', default: '50' },
    'memory-connections': { type: 'string', default: '100' },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    baseline: { type: 'string' },
    'baseline-dist': { type: 'string' },
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

const USAGE = `usage: npm run bench -- [options]
  --products N            products to seed (default 100000; --quick: 10000), each with 3 batches
  --quick                 10,000 products, 3 s rounds, 1 s warm-up, 1 round per server (a CI smoke run)
  --duration S            seconds per measured round (default 8; --quick: 3)
  --warmup S              seconds of warm-up per scenario before its first round (default 3; --quick: 1)
  --rounds R              measured rounds per scenario, alternating between servers (default 2; --quick: 1)
  --connections C         concurrent connections of every scenario (default 50)
  --memory-connections C  connections of the memory rounds (default 100)
  --only LIST             comma-separated groups: typename,viewer,nested,memory,allocate,contended
  --profile               CPU-profile the server (node --cpu-prof) on the nested scenario only
  --baseline FILE         an earlier results JSON: adds a before/after comparison (across runs)
  --baseline-dist DIR     a copy of an earlier dist/ (e.g. cp -r dist /tmp/before/dist before changing code): that
                          build runs side by side, alternating round by round with this one on every Kingdom scenario
  --label TEXT            suffix of the results files (<date>-<label>.json)
  --out DIR               where results go (default bench/results)
  --no-build              use the existing dist/ instead of running npm run build
  --server-node-options "..."  extra Node flags for the Kingdom server, e.g. "--max-old-space-size=128"
  --baseline-node-options "..."  Node flags for the baseline build (default: --server-node-options); with
                          --baseline-dist pointing at a copy of the same dist/, compares flags instead of builds
  --server-log FILE       write the last 200 lines the Kingdom server printed to FILE at the end (with
                          --server-node-options=--trace-gc: its heap sizes under load)
  --quiet-wait S          before each round, wait up to S seconds for other processes to calm down (default 10;
                          --quick: 0, no waiting)
  --quiet-threshold P     ... until they use less than P % of one core (default 25)
  --timeout-seconds S     the whole run is stopped after this (default 1800)`;

if (options.help) {
  console.log(USAGE);
  process.exit(0);
}

const QUICK = options.quick;
const PRODUCTS = wholeNumber('products', options.products ?? (QUICK ? '10000' : '100000'), 1000, 50_000_000);
const DURATION = wholeNumber('duration', options.duration ?? (QUICK ? '3' : '8'), 1, 3600);
const WARMUP = decimalNumber('warmup', options.warmup ?? (QUICK ? '1' : '3'), 0, 600);
const ROUNDS = wholeNumber('rounds', options.rounds ?? (QUICK ? '1' : '2'), 1, 100);
const CONNECTIONS = wholeNumber('connections', options.connections, 1, 10_000);
const MEMORY_CONNECTIONS = wholeNumber('memory-connections', options['memory-connections'], 1, 10_000);
const TIMEOUT_MS = wholeNumber('timeout-seconds', options['timeout-seconds'], 30, 86_400) * 1000;
const PROFILE = options.profile;
const nodeFlags = (option: 'server-node-options' | 'baseline-node-options', value: string): string[] => {
  const flags = value.split(/\s+/).filter((flag) => flag !== '');
  if (flags.some((flag) => !flag.startsWith('--'))) throw new RangeError(`--${option} takes Node flags only`);
  return flags;
};
const SERVER_NODE_OPTIONS = nodeFlags('server-node-options', options['server-node-options']);
// The baseline build runs with the same flags unless told otherwise: with a copy of the same dist/, this compares
// Node flags (GC settings) side by side instead of builds.
const BASELINE_NODE_OPTIONS = nodeFlags(
  'baseline-node-options',
  options['baseline-node-options'] ?? options['server-node-options'],
);
const BASELINE_ROOT = options['baseline-dist'] ? path.dirname(path.resolve(options['baseline-dist'])) : null;
const QUIET_WAIT = decimalNumber('quiet-wait', options['quiet-wait'] ?? (QUICK ? '0' : '10'), 0, 3600);
const QUIET_THRESHOLD = decimalNumber('quiet-threshold', options['quiet-threshold'], 0, 10_000);
const BUILD = !options['no-build'];
const GROUP_NAMES: readonly GroupName[] = ['typename', 'viewer', 'nested', 'memory', 'allocate', 'contended'];
const ONLY: ReadonlySet<GroupName> = new Set(
  (options.only ?? (PROFILE ? 'nested' : GROUP_NAMES.join(','))).split(',').map((name) => {
    const trimmed = name.trim() as GroupName;
    if (!GROUP_NAMES.includes(trimmed))
      throw new RangeError(`--only: unknown group ${name} (${GROUP_NAMES.join(', ')})`);
    return trimmed;
  }),
);
const LABEL = options.label ?? (PROFILE ? 'profile' : QUICK ? 'quick' : null);
if (LABEL !== null && !/^[A-Za-z0-9._-]{1,40}$/.test(LABEL))
  throw new RangeError('--label: letters, digits, . _ - only');

const REPOSITORY = path.resolve(import.meta.dirname, '..');
const RESULTS_DIR = path.resolve(options.out ?? path.join(import.meta.dirname, 'results'));
const CALIBRATION_REQUESTS = 20;
const DEPTH = 0.9;
const HOT = { sku: 'SKU-HOT', batchReference: 'BATCH-HOT', quantity: 10_000_000 } as const;
const ADMIN = { email: 'bench-admin@kingdom.local', password: `bench-${randomBytes(9).toString('base64url')}` };
const ROLE_PASSWORD = 'bench';
/** The login role each server connects as (pg_stat_statements counts per role). */
const ROLES: Readonly<Record<ServerName, string | null>> = {
  kingdom: 'kingdom_server',
  baseline: 'kingdom_baseline',
  raw: null,
  postgraphile: 'kingdom_postgraphile',
  apollo: null,
  graphqljs: null,
};

const MB_PER_MIB = 1.048576;
const TARGETS = {
  typenameVsRaw: 0.5,
  nestedVsPostGraphile: 1.0,
  nestedStatements: 3,
  deepVsFirst: 1.5,
  /** The issue says 200 MB: decimal megabytes, i.e. 190.7 MiB of VmRSS (which the kernel reports in KiB). */
  rssMB: 200,
  readP99Ms: 50,
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Queries: Kingdom's and PostGraphile's nested pages select the same data (PostGraphile orders batches by its
// primary key, Kingdom in allocation order: the same rows per product, possibly in another order).

const KINGDOM_PAGE = `pageInfo { hasNextPage endCursor }
    edges { cursor node { id sku description version createdAt
      batches(first: 20) { edges { cursor node { id reference purchasedQuantity eta createdAt } } } } }`;
const QUERIES = {
  typename: '{ __typename }',
  viewer: 'query Viewer { viewer { id email name createdAt } }',
  nested: `query Nested { products(first: 20) { ${KINGDOM_PAGE} } }`,
  deep: `query Deep($after: String!) { products(first: 20, after: $after) { ${KINGDOM_PAGE} } }`,
  postgraphileNested: `query Nested { allProducts(first: 20, orderBy: PRIMARY_KEY_ASC) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id sku description version createdAt
      batchesBySku(first: 20, orderBy: PRIMARY_KEY_ASC) { edges { cursor node { id reference purchasedQuantity eta createdAt } } } } } } }`,
  allocate: 'mutation Allocate($input: AllocateInput!) { allocate(input: $input) { batchReference } }',
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Scenarios

type Scenario = {
  readonly key: string;
  readonly group: GroupName;
  readonly title: string;
  readonly server: ServerName;
  readonly kind: 'read' | 'write';
  readonly connections: number;
  readonly body: LoadBody;
  readonly authenticated: boolean;
  /** How one request of the calibration is made (allocations need fresh order ids). */
  readonly calibrationBody: (index: number) => string;
};

// ---------------------------------------------------------------------------------------------------------------
// Helpers

const lifecycle = createLifecycle({ timeoutMs: TIMEOUT_MS });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const runCommand = (command: string, args: readonly string[]): Promise<void> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: REPOSITORY, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`)),
    );
  });

/** Kingdom, raw and PostGraphile started with ports that may be taken in the meantime: retried with other ports. */
const startWithFreePort = async (start: (port: number) => Promise<ChildServer>, attempts = 3): Promise<ChildServer> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await freePort());
    } catch (error) {
      if (attempt >= attempts || lifecycle.aborting || !errorText(error).includes('EADDRINUSE')) throw error;
      progress(`start failed (attempt ${attempt}), retrying: ${errorText(error).split('\n')[0]}`);
    }
  }
};

/** Everything this run started, for CPU accounting: whatever else the machine does is "other". */
type Processes = {
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

const readCpu = async (processes: Processes): Promise<CpuReading> => {
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
const cpuBetween = (before: CpuReading, after: CpuReading, server: ServerName): CpuShare => {
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
const waitForQuiet = async (
  processes: Processes,
): Promise<{ waitedSeconds: number; otherProcesses: number | null }> => {
  const started = performance.now();
  for (;;) {
    const before = await readCpu(processes);
    await sleep(1000);
    const share = cpuBetween(before, await readCpu(processes), 'kingdom');
    const waitedSeconds = round((performance.now() - started) / 1000, 1);
    if (share.otherProcesses === null || share.otherProcesses < QUIET_THRESHOLD || waitedSeconds >= QUIET_WAIT) {
      return { waitedSeconds, otherProcesses: share.otherProcesses };
    }
  }
};

// ---------------------------------------------------------------------------------------------------------------
// Main

const main = async () => {
  progress(
    `Kingdom benchmark: ${PRODUCTS.toLocaleString('en-US')} products x 3 batches, ${CONNECTIONS} connections, ` +
      `${ROUNDS} round(s) of ${DURATION} s per scenario after ${WARMUP} s of warm-up${QUICK ? ' (quick)' : ''}` +
      `${PROFILE ? ', CPU profile' : ''}; groups: ${[...ONLY].join(', ')}`,
  );
  const baselineReport = options.baseline
    ? (JSON.parse(await readFile(options.baseline, 'utf8')) as BenchReport)
    : null;

  // 1. Build, Postgres, data -------------------------------------------------------------------------------------
  let buildSeconds: number | null = null;
  if (BUILD) {
    const started = performance.now();
    await runCommand('npm', ['run', '-s', 'build']);
    buildSeconds = round((performance.now() - started) / 1000, 1);
    progress(`npm run build in ${buildSeconds} s`);
  }

  const postgres = await startBenchPostgres({ statementStatistics: true });
  lifecycle.defer('Postgres', () => postgres.stop());
  const adminUrl = await postgres.ensureDatabase('kingdom_bench');
  progress(`embedded Postgres on 127.0.0.1:${postgres.port} (pg_stat_statements loaded)`);
  await runMigrations(adminUrl);
  const pool: DatabasePool = await createDatabasePool(adminUrl, { maxPoolSize: 2, statementTimeoutMs: 1_800_000 });
  lifecycle.defer('the bench pool', () => pool.end());
  const seedMs = await seedDataset(pool, { products: PRODUCTS, batches: true, allocationsEvery: 4, hotProduct: HOT });
  for (const role of Object.values(ROLES)) if (role) await createLoginRole(pool, role, ROLE_PASSWORD);
  const statements: StatementCounter = await createStatementCounter(pool);
  // The postmaster is the parent of every backend: its CPU plus its children's is what Postgres used.
  const backendPid = await pool.oneFirst(sql.type(z.object({ pid: z.number() }))`SELECT pg_backend_pid() AS pid`);
  const backendStat = await readFile(`/proc/${backendPid}/stat`, 'utf8');
  const postmasterPid = Number(backendStat.slice(backendStat.lastIndexOf(')') + 2).split(' ')[1]);

  // 2. Servers -----------------------------------------------------------------------------------------------------
  const profileDir = path.join(RESULTS_DIR, 'profiles');
  if (PROFILE) await mkdir(profileDir, { recursive: true });
  const jwtSecret = `kingdom-bench-${randomBytes(24).toString('hex')}`;
  /** `node <root>/dist/main.js` in production mode, as its own Postgres role; baseline: an earlier build. */
  const startKingdom = (name: string, root: string, role: string, nodeFlags: readonly string[]) =>
    startWithFreePort((port) =>
      startChildServer({
        name,
        cwd: root,
        args: [...nodeFlags, path.join(root, 'dist', 'main.js')],
        env: {
          NODE_ENV: 'production',
          HOST: '127.0.0.1',
          PORT: String(port),
          PUBLIC_URL: `http://127.0.0.1:${port}`,
          DATABASE_URL: roleUrl(postgres, role, ROLE_PASSWORD, 'kingdom_bench'),
          // Shared by both Kingdom builds, so one access token is good for either.
          JWT_SECRET: jwtSecret,
          KINGDOM_ADMIN_EMAIL: ADMIN.email,
          KINGDOM_ADMIN_PASSWORD: ADMIN.password,
          // Long enough for a run over a million products; everything else is the production default.
          ACCESS_TOKEN_TTL_SECONDS: '7200',
        },
        port,
        readyPath: '/readyz',
      }),
    );
  const kingdom = await startKingdom('kingdom', REPOSITORY, ROLES.kingdom!, [
    ...SERVER_NODE_OPTIONS,
    ...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
  ]);
  lifecycle.defer('the Kingdom server', async () => void (await kingdom.stop()));
  progress(`Kingdom (node dist/main.js, NODE_ENV=production) at ${kingdom.url}, pid ${kingdom.pid}`);
  const token = await logIn(kingdom.url, ADMIN.email, ADMIN.password);
  const typenameAnswer = await postGraphQL(kingdom.url, graphqlBody(QUERIES.typename));
  if (typenameAnswer.status !== 200 || typenameAnswer.errors.length > 0)
    throw new Error(`{ __typename }: ${typenameAnswer.text}`);

  const needs = (server: ServerName) =>
    !PROFILE &&
    (((server === 'raw' || server === 'apollo' || server === 'graphqljs') && ONLY.has('typename')) ||
      (server === 'postgraphile' && (ONLY.has('typename') || ONLY.has('nested') || ONLY.has('memory'))));
  /** A comparison server for { __typename }: no database, nothing configured beyond its port and `env`. */
  const startComparison = async (
    server: 'raw' | 'apollo' | 'graphqljs',
    name: string,
    script: string,
    env: Readonly<Record<string, string>> = {},
  ) => {
    if (!needs(server)) return null;
    const started = await startWithFreePort((port) =>
      startChildServer({
        name,
        cwd: REPOSITORY,
        args: [script],
        env: { NODE_ENV: 'production', PORT: String(port), ...env },
        port,
      }),
    );
    lifecycle.defer(name, async () => void (await started.stop()));
    progress(`${name} at ${started.url}, pid ${started.pid}`);
    return started;
  };
  const raw = await startComparison('raw', 'raw node:http', 'bench/support/raw-server.ts', {
    RAW_BODY: typenameAnswer.text,
  });
  const apollo = await startComparison('apollo', 'Apollo Server 5 alone', 'bench/support/apollo-alone-server.ts');
  const graphqljs = await startComparison('graphqljs', 'graphql-js alone', 'bench/support/graphql-js-alone-server.ts');
  const postgraphile = needs('postgraphile')
    ? await startWithFreePort((port) =>
        startChildServer({
          name: 'PostGraphile',
          cwd: REPOSITORY,
          args: ['bench/support/postgraphile-server.ts'],
          env: {
            NODE_ENV: 'production',
            PORT: String(port),
            DATABASE_URL: roleUrl(postgres, 'kingdom_postgraphile', ROLE_PASSWORD, 'kingdom_bench'),
            POOL_SIZE: '10',
          },
          port,
        }),
      )
    : null;
  if (postgraphile) lifecycle.defer('PostGraphile', async () => void (await postgraphile.stop()));
  if (postgraphile) progress(`PostGraphile 5 (amber) at ${postgraphile.url}, pid ${postgraphile.pid}`);
  if (BASELINE_ROOT) await prepareBuildRoot(BASELINE_ROOT, REPOSITORY);
  const baseline = BASELINE_ROOT
    ? await startKingdom('kingdom (baseline build)', BASELINE_ROOT, ROLES.baseline!, [
        ...BASELINE_NODE_OPTIONS,
        ...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      ])
    : null;
  if (baseline) {
    lifecycle.defer('the baseline Kingdom server', async () => void (await baseline.stop()));
    progress(`baseline Kingdom (${path.join(BASELINE_ROOT!, 'dist')}) at ${baseline.url}, pid ${baseline.pid}`);
  }
  const servers: Record<ServerName, ChildServer | null> = { kingdom, baseline, raw, postgraphile, apollo, graphqljs };

  // 3. Checks: the deep cursor is the server's own, the nested answers are equivalent, an allocation works ---------
  const deepPosition = Math.floor(PRODUCTS * DEPTH);
  const [beforeDeep, atDeep, firstDeep] = await rowsAround(pool, SKU_ASC, deepPosition, 'SKU-0%');
  const deepCursor = cursorOf(SKU_ASC, atDeep!);
  const probe = await queryOrThrow<{ products: { edges: Array<{ cursor: string; node: { sku: string } }> } }>(
    kingdom.url,
    graphqlBody(
      'query Probe($after: String!) { products(first: 1, after: $after) { edges { cursor node { sku } } } }',
      {
        after: cursorOf(SKU_ASC, beforeDeep!),
      },
    ),
    token,
  );
  if (probe.data.products.edges[0]?.node.sku !== atDeep!.sku || probe.data.products.edges[0]?.cursor !== deepCursor) {
    throw new Error(`the server's cursor for row ${deepPosition} differs from ours: ${JSON.stringify(probe.data)}`);
  }
  const deepBody = graphqlBody(QUERIES.deep, { after: deepCursor });
  const deepAnswer = await queryOrThrow<{ products: { edges: Array<{ node: { sku: string } }> } }>(
    kingdom.url,
    deepBody,
    token,
  );
  if (deepAnswer.data.products.edges[0]?.node.sku !== firstDeep!.sku || deepAnswer.data.products.edges.length !== 20) {
    throw new Error(
      `the deep page starts at ${deepAnswer.data.products.edges[0]?.node.sku}, expected ${firstDeep!.sku}`,
    );
  }
  const equivalence = postgraphile ? await compareNestedAnswers(kingdom.url, postgraphile.url, token) : null;
  if (equivalence)
    progress(
      `nested answers: ${equivalence.equivalent ? 'equivalent' : `DIFFER: ${equivalence.differences.join('; ')}`}`,
    );
  const allocation = await queryOrThrow<{ allocate: { batchReference: string } }>(
    kingdom.url,
    graphqlBody(QUERIES.allocate, { input: { orderId: 'CHECK-1', sku: HOT.sku, quantity: 1 } }),
    token,
  );
  if (allocation.data.allocate.batchReference !== HOT.batchReference)
    throw new Error('the check allocation went elsewhere');

  // 4. Scenarios ---------------------------------------------------------------------------------------------------
  const run = Date.now().toString(36);
  const allocateBody = (skus: { fixed: string } | { count: number }, prefix: string, seed: number): LoadBody => ({
    kind: 'allocate',
    query: QUERIES.allocate,
    skus,
    orderPrefix: `${run}-${prefix}`,
    quantity: 1,
    seed,
  });
  let calibrationOrders = 0;
  const calibrationAllocate = (skuFor: (index: number) => string, prefix: string) => (index: number) =>
    graphqlBody(QUERIES.allocate, {
      input: { orderId: `${run}-${prefix}-${++calibrationOrders}`, sku: skuFor(index), quantity: 1 },
    });
  const spreadSku = (index: number) => `SKU-${String(1 + ((index * 7919) % PRODUCTS)).padStart(8, '0')}`;
  const read = (
    key: string,
    group: GroupName,
    title: string,
    server: ServerName,
    text: string,
    { authenticated = true, connections = CONNECTIONS } = {},
  ): Scenario => ({
    key,
    group,
    title,
    server,
    kind: 'read',
    connections,
    authenticated,
    body: { kind: 'fixed', text },
    calibrationBody: () => text,
  });
  const write = (
    key: string,
    group: GroupName,
    title: string,
    body: LoadBody,
    calibrationBody: (index: number) => string,
  ): Scenario => ({
    key,
    group,
    title,
    server: 'kingdom',
    kind: 'write',
    connections: CONNECTIONS,
    authenticated: true,
    body,
    calibrationBody,
  });
  const deepTitle = `products(first: 20, after: row ${deepPosition.toLocaleString('en-US')}) with batches`;
  const nestedTitle = 'products(first: 20) with batches';
  const postgraphileTitle = 'allProducts(first: 20) with batchesBySku';
  const anonymous = { authenticated: false };
  const atMemoryConnections = { connections: MEMORY_CONNECTIONS };

  const catalogue: Scenario[] = [
    read('typename', 'typename', '{ __typename }', 'kingdom', graphqlBody(QUERIES.typename), anonymous),
    read('typename-raw', 'typename', '{ __typename }', 'raw', graphqlBody(QUERIES.typename), anonymous),
    read('typename-apollo', 'typename', '{ __typename }', 'apollo', graphqlBody(QUERIES.typename), anonymous),
    read('typename-graphqljs', 'typename', '{ __typename }', 'graphqljs', graphqlBody(QUERIES.typename), anonymous),
    read(
      'typename-postgraphile',
      'typename',
      '{ __typename }',
      'postgraphile',
      graphqlBody(QUERIES.typename),
      anonymous,
    ),
    read('viewer', 'viewer', 'viewer (Bearer token)', 'kingdom', graphqlBody(QUERIES.viewer)),
    read('nested', 'nested', nestedTitle, 'kingdom', graphqlBody(QUERIES.nested)),
    read(
      'nested-postgraphile',
      'nested',
      postgraphileTitle,
      'postgraphile',
      graphqlBody(QUERIES.postgraphileNested),
      anonymous,
    ),
    read('deep', 'nested', deepTitle, 'kingdom', deepBody),
    read('nested-100', 'memory', nestedTitle, 'kingdom', graphqlBody(QUERIES.nested), atMemoryConnections),
    read(
      'nested-100-postgraphile',
      'memory',
      postgraphileTitle,
      'postgraphile',
      graphqlBody(QUERIES.postgraphileNested),
      {
        ...anonymous,
        ...atMemoryConnections,
      },
    ),
    write(
      'allocate-spread',
      'allocate',
      `allocate, 1 unit, random SKU of ${PRODUCTS.toLocaleString('en-US')}`,
      allocateBody({ count: PRODUCTS }, 'spread', 1),
      calibrationAllocate(spreadSku, 'cal-spread'),
    ),
    write(
      'allocate-contended',
      'contended',
      `allocate, 1 unit, all on ${HOT.sku}`,
      allocateBody({ fixed: HOT.sku }, 'hot', 2),
      calibrationAllocate(() => HOT.sku, 'cal-hot'),
    ),
  ];
  // With --baseline-dist, every Kingdom scenario also runs on the earlier build, right after this one in each round.
  const withBaseline = baseline
    ? catalogue.flatMap((scenario) =>
        scenario.server === 'kingdom'
          ? [scenario, { ...scenario, key: `${scenario.key}@baseline`, server: 'baseline' as const }]
          : [scenario],
      )
    : catalogue;
  // A profile run measures Kingdom builds only.
  const profiled = (server: ServerName) => server === 'kingdom' || server === 'baseline';
  const scenarios = withBaseline.filter(
    (scenario) =>
      ONLY.has(scenario.group) && servers[scenario.server] !== null && (!PROFILE || profiled(scenario.server)),
  );

  const startupRss = Object.fromEntries(
    await Promise.all(
      Object.entries(servers).map(async ([name, server]) => {
        const memory = server ? await memoryOf(server.pid) : null;
        return [name, memory ? round(memory.rssKiB / 1024, 1) : null] as const;
      }),
    ),
  );
  progress(`RSS after start-up and the checks: ${JSON.stringify(startupRss)} MiB`);

  // 5. Calibration: exact statements per request, sequentially ----------------------------------------------------
  const calibration = new Map<string, ScenarioResult['calibration']>();
  for (const scenario of scenarios) {
    const role = ROLES[scenario.server];
    if (role === null) continue;
    const server = servers[scenario.server]!;
    await statements.reset();
    for (let index = 0; index < CALIBRATION_REQUESTS; index++) {
      const answer = await postGraphQL(
        server.url,
        scenario.calibrationBody(index),
        scenario.authenticated ? token : null,
      );
      if (answer.status !== 200 || answer.errors.length > 0) {
        throw new Error(`calibration of ${scenario.key} failed (HTTP ${answer.status}): ${answer.text.slice(0, 500)}`);
      }
    }
    const tally = await statements.read(role);
    calibration.set(scenario.key, {
      ...tally,
      requests: CALIBRATION_REQUESTS,
      perRequest: round(tally.total / CALIBRATION_REQUESTS, 2),
      queriesPerRequest: round(tally.queries / CALIBRATION_REQUESTS, 2),
    });
    progress(`calibrated ${scenario.key}: ${round(tally.total / CALIBRATION_REQUESTS, 2)} SQL statements per request`);
  }

  // 6. Load ----------------------------------------------------------------------------------------------------------
  const load = await startLoadGenerator();
  lifecycle.defer('the load generator', () => load.stop());
  const processes: Processes = { servers, postmasterPid, loadGeneratorPid: load.pid };
  const results = new Map<string, ScenarioResult>();
  const groups = GROUP_NAMES.filter((group) => ONLY.has(group));
  for (const group of groups) {
    const members = scenarios.filter((scenario) => scenario.group === group);
    if (members.length === 0) continue;
    const rounds = group === 'memory' ? 1 : ROUNDS;
    const warmups = new Map<string, ScenarioResult['warmup']>();
    for (const scenario of members) {
      if (WARMUP <= 0) {
        warmups.set(scenario.key, null);
        continue;
      }
      if (QUIET_WAIT > 0) await waitForQuiet(processes);
      progress(`${scenario.key}: warming up for ${Math.max(1, Math.round(WARMUP))} s`);
      const warm = await load.run(loadJob(scenario, servers[scenario.server]!, token, Math.max(1, Math.round(WARMUP))));
      warmups.set(scenario.key, {
        seconds: warm.durationSeconds,
        responses: warm.responses,
        requestsPerSecond: warm.requestsPerSecond,
      });
    }
    const collected = new Map<string, { rounds: RoundResult[]; samples: Float32Array[] }>(
      members.map((scenario) => [scenario.key, { rounds: [], samples: [] }]),
    );
    for (let index = 1; index <= rounds; index++) {
      for (const scenario of members) {
        const measured = await measureRound(scenario, index, load, statements, processes, token);
        collected.get(scenario.key)!.rounds.push(measured.round);
        collected.get(scenario.key)!.samples.push(measured.samples);
        const { load: result } = measured.round;
        progress(
          `${scenario.key.padEnd(24)} round ${index}/${rounds}: ${String(result.requestsPerSecond).padStart(8)} req/s, ` +
            `p50 ${result.latency.medianMs} ms, p99 ${result.latency.p99Ms} ms, ` +
            `${measured.round.statementsPerRequest ?? '-'} SQL/req, RSS ${measured.round.peakRssMiB ?? '-'} MiB, ` +
            `errors ${describeErrors(result)}`,
        );
      }
    }
    for (const scenario of members) {
      const { rounds: measuredRounds, samples } = collected.get(scenario.key)!;
      results.set(scenario.key, {
        key: scenario.key,
        group: scenario.group,
        title: scenario.title,
        server: scenario.server,
        kind: scenario.kind,
        connections: scenario.connections,
        calibration: calibration.get(scenario.key) ?? null,
        warmup: warmups.get(scenario.key) ?? null,
        rounds: measuredRounds,
        aggregate: aggregate(measuredRounds, samples),
      });
    }
  }

  // 7. Stop, memory high-water marks, profile ----------------------------------------------------------------------
  if (options['server-log']) await writeFile(options['server-log'], `${kingdom.output()}\n`);
  const highWater = Object.fromEntries(
    await Promise.all(
      Object.entries(servers).map(async ([name, server]) => {
        const memory = server ? await memoryOf(server.pid) : null;
        return [name, memory ? round(memory.hwmKiB / 1024, 1) : null] as const;
      }),
    ),
  );
  // Node names each profile CPU.<date>.<time>.<pid>.<thread>.<sequence>.cpuprofile: found by the server's pid.
  const stopAndSummarise = async (server: ChildServer, root: string): Promise<ProfileSummary> => {
    const ended = await server.stop();
    progress(`${server.name} stopped (${JSON.stringify(ended)}); reading its CPU profile`);
    const file = (await readdir(profileDir)).find(
      (name) => name.endsWith('.cpuprofile') && name.includes(`.${server.pid}.`),
    );
    if (!file) throw new Error(`no CPU profile of pid ${server.pid} in ${profileDir}`);
    return summariseProfile(path.join(profileDir, file), root);
  };
  const profile = PROFILE ? await stopAndSummarise(kingdom, REPOSITORY) : null;
  const profileBaseline = PROFILE && baseline && BASELINE_ROOT ? await stopAndSummarise(baseline, BASELINE_ROOT) : null;

  // 8. Report ------------------------------------------------------------------------------------------------------
  const date = new Date();
  const report: BenchReport = {
    benchmark: 'kingdom',
    date: date.toISOString(),
    label: LABEL,
    mode: PROFILE ? 'profile' : QUICK ? 'quick' : 'full',
    machine: machineInfo(),
    postgres: await postgresInfo(pool),
    dataset: {
      products: PRODUCTS,
      batches: PRODUCTS * 3,
      allocations: Math.floor(PRODUCTS / 4),
      hotProduct: HOT,
      seedMs,
      relationBytes: await relationSizes(pool, ['products', 'batches', 'allocations', 'allocations_view']),
    },
    method: {
      build: BUILD ? `npm run build in ${buildSeconds} s` : 'existing dist/ (--no-build)',
      servers: {
        kingdom: `node ${[...SERVER_NODE_OPTIONS, ...(PROFILE ? ['--cpu-prof'] : []), 'dist/main.js'].join(' ')}, NODE_ENV=production, defaults (DATABASE_POOL_SIZE 10)`,
        ...(BASELINE_ROOT
          ? {
              baseline: `node ${[...BASELINE_NODE_OPTIONS, ...(PROFILE ? ['--cpu-prof'] : []), path.join(BASELINE_ROOT, 'dist', 'main.js')].join(' ')}, same environment`,
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
      connections: CONNECTIONS,
      memoryConnections: MEMORY_CONNECTIONS,
      roundSeconds: DURATION,
      warmupSeconds: WARMUP,
      rounds: ROUNDS,
      order: 'per group, servers alternate round by round (A, B, C, A, B, C ...) after one warm-up each',
      latency: 'every response timed by autocannon (hrtime, sub-millisecond); nearest-rank percentiles over all rounds',
      errors:
        'non-2xx from the status; transport = connection errors + timeouts + resets; GraphQL errors by extensions.code, every body checked for "errors"',
      sqlStatements:
        "pg_stat_statements filtered by the server's login role: calibrated with 20 sequential requests (exact, listed), and under load (calls / responses, includes requests cut off at the end of a round)",
      memory: 'VmRSS of the server process sampled every 100 ms during each round (peak), VmHWM at the end',
      cpu: 'utime+stime from /proc: server process, postmaster with all backends, load generator; machine = busy time of all cores from /proc/stat; other = machine minus every process of this run; % of one core',
      quietGate:
        QUIET_WAIT > 0
          ? `before each round, waited up to ${QUIET_WAIT} s for other processes to use < ${QUIET_THRESHOLD}% of a core`
          : 'none',
      deepPage: { position: deepPosition, cursor: deepCursor, firstSku: firstDeep!.sku },
      nestedEquivalence: equivalence,
    },
    scenarios: [...results.values()],
    startupRssMiB: startupRss,
    highWaterRssMiB: highWater,
    targets: evaluateTargets(results),
    profile,
    profileBaseline,
    baseline:
      baselineReport && options.baseline
        ? compareWithBaseline(baselineReport, [...results.values()], options.baseline)
        : null,
    durationSeconds: round(secondsSinceStart(), 1),
  };

  await mkdir(RESULTS_DIR, { recursive: true });
  const name = `${date.toISOString().slice(0, 10)}${LABEL ? `-${LABEL}` : ''}`;
  const jsonFile = path.join(RESULTS_DIR, `${name}.json`);
  const markdownFile = path.join(RESULTS_DIR, `${name}.md`);
  await writeFile(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
  const markdown = renderMarkdown(report);
  await writeFile(markdownFile, markdown);
  console.log(markdown);
  progress(`results: ${path.relative(process.cwd(), jsonFile)} and ${path.relative(process.cwd(), markdownFile)}`);
};

// ---------------------------------------------------------------------------------------------------------------
// One round

const loadJob = (scenario: Scenario, server: ChildServer, token: string, durationSeconds: number): LoadJob => ({
  url: server.url,
  headers: jsonHeaders(scenario.authenticated ? token : null),
  body:
    scenario.body.kind === 'allocate'
      ? { ...scenario.body, orderPrefix: `${scenario.body.orderPrefix}-${Math.random().toString(36).slice(2, 8)}` }
      : scenario.body,
  connections: scenario.connections,
  durationSeconds,
  timeoutSeconds: 10,
  graphql: scenario.server !== 'raw',
});

const measureRound = async (
  scenario: Scenario,
  roundNumber: number,
  load: LoadGenerator,
  statements: StatementCounter,
  processes: Processes,
  token: string,
) => {
  const server = processes.servers[scenario.server]!;
  const role = ROLES[scenario.server];
  const quiet = QUIET_WAIT > 0 ? await waitForQuiet(processes) : { waitedSeconds: 0, otherProcesses: null };
  if (quiet.waitedSeconds >= QUIET_WAIT && QUIET_WAIT > 0) {
    progress(`the machine stayed busy (${quiet.otherProcesses}% of a core used by other processes): measuring anyway`);
  }
  if (role) await statements.reset();
  const startedAtSecond = round(secondsSinceStart(), 1);
  const memory = watchMemory({ server: server.pid });
  const before = await readCpu(processes);
  const result = await load.run(loadJob(scenario, server, token, DURATION));
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

const decodeSamples = (base64: string): Float32Array => {
  const bytes = Buffer.from(base64, 'base64');
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
};

const describeErrors = (result: Pick<LoadResult, 'non2xx' | 'transport' | 'graphqlErrors'>): string => {
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

const aggregate = (rounds: readonly RoundResult[], samples: readonly Float32Array[]): ScenarioResult['aggregate'] => {
  const all = new Float64Array(samples.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of samples) {
    all.set(part, offset);
    offset += part.length;
  }
  const responses = rounds.reduce((sum, r) => sum + r.load.responses, 0);
  const durationSeconds = rounds.reduce((sum, r) => sum + r.load.durationSeconds, 0);
  const byCode: Record<string, number> = {};
  for (const r of rounds)
    for (const [code, count] of Object.entries(r.load.graphqlErrors.byCode)) byCode[code] = (byCode[code] ?? 0) + count;
  const non2xx = rounds.reduce((sum, r) => sum + r.load.non2xx, 0);
  const graphqlErrorResponses = rounds.reduce((sum, r) => sum + r.load.graphqlErrors.responses, 0);
  const transportErrors = rounds.reduce(
    (sum, r) => sum + r.load.transport.errors + r.load.transport.timeouts + r.load.transport.resets,
    0,
  );
  const statementTotal = rounds.every((r) => r.statements !== null)
    ? rounds.reduce((sum, r) => sum + (r.statements?.total ?? 0), 0)
    : null;
  const peaks = rounds.map((r) => r.peakRssMiB).filter((value): value is number => value !== null);
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
      server: mean(rounds.map((r) => r.cpuPercentOfOneCore.server)),
      postgres: mean(rounds.map((r) => r.cpuPercentOfOneCore.postgres)),
      loadGenerator: mean(rounds.map((r) => r.cpuPercentOfOneCore.loadGenerator)),
      machine: mean(rounds.map((r) => r.cpuPercentOfOneCore.machine)),
      otherProcesses: mean(rounds.map((r) => r.cpuPercentOfOneCore.otherProcesses)),
    },
  };
};

// ---------------------------------------------------------------------------------------------------------------
// Equivalence of the nested answers

type NestedProduct = {
  id: string;
  sku: string;
  description: string;
  version: number;
  createdAt: string;
  batches: Array<{ reference: string; purchasedQuantity: number; eta: string | null; createdAt: string }>;
};

const compareNestedAnswers = async (kingdomUrl: string, postgraphileUrl: string, token: string) => {
  type Batch = { node: { reference: string; purchasedQuantity: number; eta: string | null; createdAt: string } };
  type Node = Omit<NestedProduct, 'batches'> & { batches?: { edges: Batch[] }; batchesBySku?: { edges: Batch[] } };
  type Page = { edges: Array<{ node: Node }>; pageInfo: { hasNextPage: boolean } };
  const ours = await queryOrThrow<{ products: Page }>(kingdomUrl, graphqlBody(QUERIES.nested), token);
  const theirs = await queryOrThrow<{ allProducts: Page }>(postgraphileUrl, graphqlBody(QUERIES.postgraphileNested));
  const normalise = (page: Page): NestedProduct[] =>
    page.edges.map(({ node }) => ({
      id: '',
      sku: node.sku,
      description: node.description,
      version: node.version,
      createdAt: new Date(node.createdAt).toISOString(),
      batches: (node.batches ?? node.batchesBySku)!.edges
        .map(({ node: { reference, purchasedQuantity, eta, createdAt } }) => ({
          reference,
          purchasedQuantity,
          eta,
          createdAt: new Date(createdAt).toISOString(),
        }))
        .sort((a, b) => a.reference.localeCompare(b.reference)),
    }));
  const [a, b] = [normalise(ours.data.products), normalise(theirs.data.allProducts)];
  const differences: string[] = [];
  if (a.length !== b.length) differences.push(`${a.length} products vs ${b.length}`);
  for (let index = 0; index < Math.min(a.length, b.length); index++) {
    if (JSON.stringify(a[index]) !== JSON.stringify(b[index]))
      differences.push(`product ${index}: ${JSON.stringify(a[index])} vs ${JSON.stringify(b[index])}`.slice(0, 400));
  }
  if (ours.data.products.pageInfo.hasNextPage !== theirs.data.allProducts.pageInfo.hasNextPage)
    differences.push('hasNextPage differs');
  return {
    equivalent: differences.length === 0,
    products: a.length,
    batches: a.reduce((sum, product) => sum + product.batches.length, 0),
    responseBytes: { kingdom: Buffer.byteLength(ours.text), postgraphile: Buffer.byteLength(theirs.text) },
    note: "Same products, fields and batches (compared as sets: PostGraphile orders batches by reference, Kingdom in allocation order); ids and cursors are each server's own opaque encodings.",
    differences: differences.slice(0, 5),
  };
};

// ---------------------------------------------------------------------------------------------------------------
// Targets and baseline

const verdict = (value: number | null, ok: (value: number) => boolean): TargetVerdict['verdict'] =>
  value === null ? 'N/A' : ok(value) ? 'PASS' : 'MISS';

const evaluateTargets = (results: ReadonlyMap<string, ScenarioResult>): TargetVerdict[] => {
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
    (r) => r.kind === 'read' && r.server === 'kingdom' && r.connections === CONNECTIONS,
  );
  const worstP99 = reads.length === 0 ? null : Math.max(...reads.map((r) => r.aggregate.latency.p99Ms));
  const worstP99Scenario = reads.find((r) => r.aggregate.latency.p99Ms === worstP99)?.key ?? '-';
  return [
    {
      target: `{ __typename } >= ${TARGETS.typenameVsRaw * 100}% of raw node:http (req/s)`,
      measured:
        typenameRatio === null
          ? 'not measured'
          : `${typename!.requestsPerSecond} / ${typenameRaw!.requestsPerSecond} req/s = ${typenameRatio}`,
      value: typenameRatio,
      threshold: TARGETS.typenameVsRaw,
      verdict: verdict(typenameRatio, (value) => value >= TARGETS.typenameVsRaw),
    },
    {
      target: `nested products(first: 20) >= ${TARGETS.nestedVsPostGraphile}x PostGraphile (req/s)`,
      measured:
        nestedRatio === null
          ? 'not measured'
          : `${nested!.requestsPerSecond} / ${nestedPostGraphile!.requestsPerSecond} req/s = ${nestedRatio}x`,
      value: nestedRatio,
      threshold: TARGETS.nestedVsPostGraphile,
      verdict: verdict(nestedRatio, (value) => value >= TARGETS.nestedVsPostGraphile),
    },
    {
      target: `nested products(first: 20): <= ${TARGETS.nestedStatements} SQL statements per request`,
      measured:
        nestedStatements === null ? 'not measured' : `${nestedStatements} (pg_stat_statements, 20 sequential requests)`,
      value: nestedStatements,
      threshold: TARGETS.nestedStatements,
      verdict: verdict(nestedStatements, (value) => value <= TARGETS.nestedStatements),
    },
    {
      target: `deep page within ${TARGETS.deepVsFirst}x of the first page (median latency)`,
      measured:
        deepRatio === null
          ? 'not measured'
          : `${deep!.latency.medianMs} / ${nested!.latency.medianMs} ms = ${deepRatio}x`,
      value: deepRatio,
      threshold: TARGETS.deepVsFirst,
      verdict: verdict(deepRatio, (value) => value <= TARGETS.deepVsFirst),
    },
    {
      target: `server RSS < ${TARGETS.rssMB} MB (${round(TARGETS.rssMB / MB_PER_MIB, 1)} MiB) at ${MEMORY_CONNECTIONS} connections`,
      measured:
        memoryRss === null
          ? 'not measured'
          : `peak VmRSS ${memoryRss} MiB = ${round(memoryRss * MB_PER_MIB, 1)} MB (nested, ${MEMORY_CONNECTIONS} connections)`,
      value: memoryRss === null ? null : round(memoryRss * MB_PER_MIB, 1),
      threshold: TARGETS.rssMB,
      verdict: verdict(memoryRss, (value) => value * MB_PER_MIB < TARGETS.rssMB),
    },
    {
      target: `p99 < ${TARGETS.readP99Ms} ms for every read scenario at ${CONNECTIONS} connections`,
      measured: worstP99 === null ? 'not measured' : `worst p99 ${worstP99} ms (${worstP99Scenario})`,
      value: worstP99,
      threshold: TARGETS.readP99Ms,
      verdict: verdict(worstP99, (value) => value < TARGETS.readP99Ms),
    },
  ];
};

const compareWithBaseline = (
  baseline: BenchReport,
  current: readonly ScenarioResult[],
  file: string,
): BaselineComparison => ({
  file: path.relative(REPOSITORY, path.resolve(file)),
  date: baseline.date,
  label: baseline.label,
  scenarios: current.flatMap((scenario) => {
    const before = baseline.scenarios.find((candidate) => candidate.key === scenario.key);
    if (!before) return [];
    return [
      {
        key: scenario.key,
        requestsPerSecond: {
          before: before.aggregate.requestsPerSecond,
          after: scenario.aggregate.requestsPerSecond,
          ratio: ratio(scenario.aggregate.requestsPerSecond, before.aggregate.requestsPerSecond),
        },
        p50Ms: {
          before: before.aggregate.latency.medianMs,
          after: scenario.aggregate.latency.medianMs,
          ratio: ratio(scenario.aggregate.latency.medianMs, before.aggregate.latency.medianMs),
        },
        p99Ms: {
          before: before.aggregate.latency.p99Ms,
          after: scenario.aggregate.latency.p99Ms,
          ratio: ratio(scenario.aggregate.latency.p99Ms, before.aggregate.latency.p99Ms),
        },
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

await runToTheEnd(lifecycle, main);

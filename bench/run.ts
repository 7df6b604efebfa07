/**
 * The Kingdom benchmark: the production build under HTTP load, next to a raw node:http server (the ceiling) and
 * PostGraphile 5 (the peer), on one machine, over 127.0.0.1 only. See bench/README.md.
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
 * 2. The servers, each its own process connecting as its own role (runner/servers.ts), and the checks that the run
 *    measures what it claims (runner/checks.ts).
 * 3. The scenarios (scenarios.ts): each calibrated first (20 sequential requests, exact SQL statements per request),
 *    then loaded by a separate autocannon process (support/load-worker.ts) for `--duration` seconds after a warm-up;
 *    the servers compared in a group alternate round by round (runner/measure.ts, runner/round.ts).
 * 4. Per round: requests/s, latency percentiles from every response's own time, errors by kind and GraphQL code,
 *    SQL statements from pg_stat_statements, peak VmRSS, and the CPU used by the server, Postgres, the load generator
 *    and other processes (runner/cpu.ts).
 * 5. The report (report/): results/<date>[-label].md, printed too, and the full JSON in results/json/ (git-ignored).
 *    The exit code is non-zero only when the run failed, never because a target was missed.
 */
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { ACCESS_CHANNEL, encodeAccessChange } from '../src/core/access-changes.ts';
import { createDatabasePool } from '../src/platform/database/pool.ts';
import { assembleReport } from './report/assemble.ts';
import { renderMarkdown } from './report/markdown.ts';
import type { BenchReport } from './report/types.ts';
import { checkBeforeLoad } from './runner/checks.ts';
import type { Processes } from './runner/cpu.ts';
import { calibrate, calibrateColdCache, measureGroups } from './runner/measure.ts';
import { parseRunOptions, USAGE } from './runner/options.ts';
import { ROLE_PASSWORD, startServers } from './runner/servers.ts';
import { measureSubscriptions } from './runner/subscriptions.ts';
import { HISTORY, HOT, ROLES, scenarioCatalogue, selectScenarios } from './scenarios.ts';
import { READER, seedReader } from './support/callers.ts';
import { progress, round } from './support/cli.ts';
import { seedDataset } from './support/dataset.ts';
import { createLifecycle, runToTheEnd } from './support/lifecycle.ts';
import { startLoadGenerator } from './support/load.ts';
import { memoryOf, type ChildServer } from './support/processes.ts';
import { migrateWorkingTree } from './support/migrations.ts';
import { createLoginRole, postgresInfo, relationSizes, startBenchPostgres } from './support/postgres.ts';
import { summariseProfile, type ProfileSummary } from './support/profile.ts';
import { REPOSITORY, shownPath, writeResults } from './support/results.ts';
import { createStatementCounter } from './support/statements.ts';

const options = parseRunOptions(process.argv.slice(2));
if (options === null) {
  console.log(USAGE);
  process.exit(0);
}
const lifecycle = createLifecycle({ timeoutMs: options.timeoutMs });

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

/** VmRSS (or VmHWM) of each server in MiB, null for those not started. */
const memoryOfServers = async (servers: Readonly<Record<string, ChildServer | null>>, of: 'rssKiB' | 'hwmKiB') =>
  Object.fromEntries(
    await Promise.all(
      Object.entries(servers).map(async ([name, server]) => {
        const memory = server ? await memoryOf(server.pid) : null;
        return [name, memory ? round(memory[of] / 1024, 1) : null] as const;
      }),
    ),
  );

const main = async () => {
  progress(
    `Kingdom benchmark: ${options.products.toLocaleString('en-US')} products x 3 batches, ${options.connections} connections, ` +
      `${options.rounds} round(s) of ${options.duration} s per scenario after ${options.warmup} s of warm-up${options.quick ? ' (quick)' : ''}` +
      `${options.profile ? ', CPU profile' : ''}; groups: ${[...options.only].join(', ')}`,
  );
  const baselineReport = options.baselineFile
    ? (JSON.parse(await readFile(options.baselineFile, 'utf8')) as BenchReport)
    : null;

  // 1. Build, Postgres, data
  let buildSeconds: number | null = null;
  if (options.build) {
    const started = performance.now();
    await runCommand('npm', ['run', '-s', 'build']);
    buildSeconds = round((performance.now() - started) / 1000, 1);
    progress(`npm run build in ${buildSeconds} s`);
  }
  const postgres = await startBenchPostgres({ statementStatistics: true });
  lifecycle.defer('Postgres', () => postgres.stop());
  const adminUrl = await postgres.ensureDatabase('kingdom_bench');
  progress(`embedded Postgres on 127.0.0.1:${postgres.port} (pg_stat_statements loaded)`);
  const { current } = await migrateWorkingTree(adminUrl);
  if (current) progress('applied migrations/current.sql after the committed migrations');
  const pool: DatabasePool = await createDatabasePool(adminUrl, { maxPoolSize: 2, statementTimeoutMs: 1_800_000 });
  lifecycle.defer('the bench pool', () => pool.end());
  await seedReader(pool);
  const seedMs = await seedDataset(pool, {
    products: options.products,
    batches: true,
    allocationsEvery: 4,
    hotProduct: HOT,
    historyProducts: HISTORY,
    ownerId: READER.id,
  });
  for (const role of Object.values(ROLES)) if (role) await createLoginRole(pool, role, ROLE_PASSWORD);
  const statements = await createStatementCounter(pool);
  // The postmaster is the parent of every backend: its CPU plus its children's is what Postgres used.
  const backendPid = await pool.oneFirst(sql.type(z.object({ pid: z.number() }))`SELECT pg_backend_pid() AS pid`);
  const backendStat = await readFile(`/proc/${backendPid}/stat`, 'utf8');
  const postmasterPid = Number(backendStat.slice(backendStat.lastIndexOf(')') + 2).split(' ')[1]);

  // 2. Servers and checks
  const profileDir = path.join(options.resultsDir, 'profiles');
  if (options.profile) await mkdir(profileDir, { recursive: true });
  const { servers, tokens, cursorKey, jwtSecret } = await startServers({ options, lifecycle, postgres, profileDir });
  const { deep, equivalence } = await checkBeforeLoad(pool, servers, tokens, cursorKey, options.products);

  // 3. Scenarios, calibration, load
  const catalogue = scenarioCatalogue(options, deep, Date.now().toString(36));
  const scenarios = selectScenarios(catalogue, options, (server) => servers[server] !== null);
  const startupRss = await memoryOfServers(servers, 'rssKiB');
  progress(`RSS after start-up and the checks: ${JSON.stringify(startupRss)} MiB`);
  const calibration = await calibrate(scenarios, servers, statements, tokens);
  // The nested page on a cold permissions cache: what its first request after a change of grants costs.
  const dropReaderPermissions = async () => {
    const payload = encodeAccessChange({ kind: 'user', userId: READER.id });
    await pool.query(sql.unsafe`SELECT pg_notify(${ACCESS_CHANNEL}, ${payload})`);
  };
  for (const scenario of scenarios.filter((candidate) => /^nested(@baseline)?$/.test(candidate.key))) {
    const warm = calibration.get(scenario.key);
    const cold = await calibrateColdCache(scenario, servers, statements, tokens, dropReaderPermissions);
    if (warm) calibration.set(scenario.key, { ...warm, coldPerRequest: cold });
  }
  const load = await startLoadGenerator();
  lifecycle.defer('the load generator', () => load.stop());
  const processes: Processes = { servers, postmasterPid, loadGeneratorPid: load.pid };
  const results = await measureGroups(scenarios, { options, load, statements, processes, tokens, calibration });
  // WebSocket subscribers, not HTTP load: a group of its own, after the others (runner/subscriptions.ts).
  const subscriptions =
    options.only.has('subscriptions') && !options.profile
      ? await measureSubscriptions({
          options,
          lifecycle,
          pool,
          databaseUrl: adminUrl,
          server: servers.kingdom!,
          adminToken: tokens.admin,
          jwtSecret,
        })
      : undefined;

  // 4. Stop, memory high-water marks, profiles
  if (options.serverLog) await writeFile(options.serverLog, `${servers.kingdom!.output()}\n`);
  const highWater = await memoryOfServers(servers, 'hwmKiB');
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
  const profile = options.profile ? await stopAndSummarise(servers.kingdom!, REPOSITORY) : null;
  const profileBaseline =
    options.profile && servers.baseline && options.baselineRoot
      ? await stopAndSummarise(servers.baseline, options.baselineRoot)
      : null;

  // 5. Report
  const date = new Date();
  const report = assembleReport(options, {
    date,
    buildSeconds,
    postgres: await postgresInfo(pool),
    seedMs,
    relationBytes: await relationSizes(pool, ['products', 'batches', 'allocations', 'allocations_view']),
    deep: { position: deep.position, cursor: deep.cursor, firstSku: deep.firstSku },
    equivalence,
    results,
    subscriptions,
    startupRss,
    highWater,
    profile,
    profileBaseline,
    baselineReport,
  });
  const markdown = renderMarkdown(report);
  const name = `${date.toISOString().slice(0, 10)}${options.label ? `-${options.label}` : ''}`;
  const files = await writeResults(options.resultsDir, name, report, markdown);
  console.log(markdown);
  progress(`results: ${shownPath(files.json)} and ${shownPath(files.markdown)}`);
};

await runToTheEnd(lifecycle, main);

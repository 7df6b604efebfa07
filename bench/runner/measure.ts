/**
 * The measurements: first each scenario's exact SQL statements per request (sequential requests), then the load,
 * group by group, the servers of a group alternating round by round after one warm-up each.
 */
import type { RoundResult, ScenarioResult } from '../report/types.ts';
import { ROLES, tokenOf, type Scenario, type Tokens } from '../scenarios.ts';
import { progress, round } from '../support/cli.ts';
import { postGraphQL } from '../support/graphql-client.ts';
import type { LoadGenerator } from '../support/load.ts';
import type { StatementCounter } from '../support/statements.ts';
import { waitForQuiet, type Processes } from './cpu.ts';
import { GROUP_NAMES, type RunOptions } from './options.ts';
import { aggregate, describeErrors, loadJob, measureRound } from './round.ts';
import type { Servers } from './servers.ts';

const CALIBRATION_REQUESTS = 20;
const COLD_REQUESTS = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * SQL statements of a request whose caller's permissions are not cached: before each one, the permissions cache of
 * every server is dropped for the caller (the NOTIFY the access context sends when a grant changes), then the
 * request alone is counted. A build without a cache counts the same as warm.
 */
export const calibrateColdCache = async (
  scenario: Scenario,
  servers: Servers,
  statements: StatementCounter,
  tokens: Tokens,
  dropCachedPermissions: () => Promise<void>,
): Promise<number | null> => {
  const role = ROLES[scenario.server];
  const server = servers[scenario.server];
  if (role === null || !server) return null;
  let total = 0;
  for (let index = 0; index < COLD_REQUESTS; index++) {
    await dropCachedPermissions();
    await sleep(100);
    await statements.reset();
    const answer = await postGraphQL(server.url, scenario.calibrationBody(index), tokenOf(scenario.caller, tokens));
    if (answer.status !== 200 || answer.errors.length > 0)
      throw new Error(`cold calibration of ${scenario.key} failed: ${answer.text.slice(0, 500)}`);
    total += (await statements.read(role)).total;
  }
  const perRequest = round(total / COLD_REQUESTS, 2);
  progress(`calibrated ${scenario.key} on a cold permissions cache: ${perRequest} SQL statements per request`);
  return perRequest;
};

/** pg_stat_statements reset, 20 sequential requests, read: exact statements per request, listed. */
export const calibrate = async (
  scenarios: readonly Scenario[],
  servers: Servers,
  statements: StatementCounter,
  tokens: Tokens,
): Promise<Map<string, ScenarioResult['calibration']>> => {
  const calibration = new Map<string, ScenarioResult['calibration']>();
  for (const scenario of scenarios) {
    const role = ROLES[scenario.server];
    if (role === null) continue;
    const server = servers[scenario.server]!;
    await statements.reset();
    for (let index = 0; index < CALIBRATION_REQUESTS; index++) {
      const answer = await postGraphQL(server.url, scenario.calibrationBody(index), tokenOf(scenario.caller, tokens));
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
  return calibration;
};

export const measureGroups = async (
  scenarios: readonly Scenario[],
  context: {
    readonly options: RunOptions;
    readonly load: LoadGenerator;
    readonly statements: StatementCounter;
    readonly processes: Processes;
    readonly tokens: Tokens;
    readonly calibration: ReadonlyMap<string, ScenarioResult['calibration']>;
  },
): Promise<Map<string, ScenarioResult>> => {
  const { options, load, processes, tokens, calibration } = context;
  const servers = processes.servers;
  const results = new Map<string, ScenarioResult>();
  for (const group of GROUP_NAMES.filter((name) => options.only.has(name))) {
    const members = scenarios.filter((scenario) => scenario.group === group);
    if (members.length === 0) continue;
    const rounds = group === 'memory' ? 1 : options.rounds;
    const warmups = new Map<string, ScenarioResult['warmup']>();
    for (const scenario of members) {
      if (options.warmup <= 0) {
        warmups.set(scenario.key, null);
        continue;
      }
      if (options.quietWait > 0) await waitForQuiet(processes, options);
      const seconds = Math.max(1, Math.round(options.warmup));
      progress(`${scenario.key}: warming up for ${seconds} s`);
      const warm = await load.run(loadJob(scenario, servers[scenario.server]!, tokens, seconds));
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
        const measured = await measureRound(scenario, index, context);
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
  return results;
};

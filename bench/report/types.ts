/** The shape of a benchmark report: the JSON of a run (results/json/<date>.json), summarised in Markdown. */
import type { LoadResult } from '../support/load-protocol.ts';
import type { machineInfo } from '../support/machine.ts';
import type { postgresInfo } from '../support/postgres.ts';
import type { ProfileSummary } from '../support/profile.ts';
import type { StatementTally } from '../support/statements.ts';
import type { Stats } from '../support/stats.ts';

export type GroupName = 'typename' | 'viewer' | 'nested' | 'memory' | 'allocate' | 'history' | 'subscriptions';
/**
 * `baseline`: an earlier Kingdom build run side by side (--baseline-dist). `enforce`: this build again, with
 * TRUSTED_DOCUMENTS=enforce and a manifest of the benchmark's own operations. `apollo` and `graphqljs`: measuring
 * sticks for `{ __typename }`, Apollo Server alone and graphql-js alone on node:http (support/*-alone-server.ts).
 */
export type ServerName = 'kingdom' | 'baseline' | 'enforce' | 'raw' | 'postgraphile' | 'apollo' | 'graphqljs';

export type CpuShare = {
  readonly server: number | null;
  readonly postgres: number | null;
  readonly loadGenerator: number | null;
  /** Busy time of every core together (200 = both cores of a 2-core machine). */
  readonly machine: number | null;
  /** The machine's busy time minus every process this run started: other work on a shared machine. */
  readonly otherProcesses: number | null;
};

export type RoundResult = {
  readonly round: number;
  readonly startedAtSecond: number;
  /** Seconds spent waiting for other processes to calm down before the round. */
  readonly quietWaitSeconds: number;
  readonly load: Omit<LoadResult, 'latencySamples'>;
  /** pg_stat_statements calls for the server's role during the round / responses. */
  readonly statementsPerRequest: number | null;
  readonly statements: StatementTally | null;
  readonly peakRssMiB: number | null;
  readonly cpuPercentOfOneCore: CpuShare;
};

export type ScenarioResult = {
  readonly key: string;
  readonly group: GroupName;
  readonly title: string;
  readonly server: ServerName;
  readonly kind: 'read' | 'write';
  readonly connections: number;
  readonly calibration:
    | (StatementTally & {
        readonly requests: number;
        readonly perRequest: number;
        readonly queriesPerRequest: number;
        /** Statements of one request right after the caller's cached permissions were dropped (nested pages). */
        readonly coldPerRequest?: number | null;
      })
    | null;
  readonly warmup: { readonly seconds: number; readonly responses: number; readonly requestsPerSecond: number } | null;
  readonly rounds: RoundResult[];
  readonly aggregate: {
    readonly responses: number;
    readonly durationSeconds: number;
    readonly requestsPerSecond: number;
    readonly roundRequestsPerSecond: number[];
    readonly latency: Stats;
    readonly non2xx: number;
    readonly transportErrors: number;
    readonly graphqlErrors: { readonly responses: number; readonly byCode: Record<string, number> };
    /** Share of responses that were a success (2xx without GraphQL errors). */
    readonly successRate: number;
    readonly statementsPerRequestUnderLoad: number | null;
    readonly peakRssMiB: number | null;
    readonly cpuPercentOfOneCore: CpuShare;
  };
};

/** One scenario of the subscriptions group (runner/subscriptions.ts): WebSocket subscribers of one product. */
export type SubscriptionResult = {
  readonly key: string;
  readonly title: string;
  readonly subscribers: number;
  /** Distinct users among the subscribers. */
  readonly users: number;
  /** Measured events (after the warm-up that proves every subscription is followed). */
  readonly events: number;
  readonly connectSeconds: number;
  /** Every delivery of every event: ms from sending the mutation to the subscriber reading the change. */
  readonly deliveries: Stats;
  /**
   * The same deliveries, ms from the commit: when the commit's notification reached a LISTEN connection of the
   * subscribers' process (the very signal the server's listener gets). The fan-out's own time: the target's measure.
   */
  readonly afterCommit: Stats;
  /** When the mutation's own answer arrived, ms after it was sent. */
  readonly answer: Stats;
  /** Per event, the last subscriber's delivery: when everyone has it. */
  readonly lastDeliveryPerEvent: Stats;
  /** Deliveries that never came (10 s per event), and errors received, by code. */
  readonly missing: number;
  readonly errors: Readonly<Record<string, number>>;
  /** Server VmRSS: before the sockets, with every subscription open and idle, and its peak while delivering. */
  readonly rssMiB: { readonly before: number | null; readonly idle: number | null; readonly peak: number | null };
};

export type TargetVerdict = {
  readonly target: string;
  readonly measured: string;
  readonly value: number | null;
  readonly threshold: number;
  readonly verdict: 'PASS' | 'MISS' | 'N/A';
};

type BeforeAfter = { readonly before: number | null; readonly after: number | null; readonly ratio?: number | null };

export type BaselineComparison = {
  readonly file: string;
  readonly date: string;
  readonly label: string | null;
  readonly scenarios: ReadonlyArray<{
    readonly key: string;
    readonly requestsPerSecond: BeforeAfter;
    readonly p50Ms: BeforeAfter;
    readonly p99Ms: BeforeAfter;
    readonly statementsPerRequest: BeforeAfter;
    readonly serverCpuPercent: BeforeAfter;
  }>;
};

export type BenchReport = {
  readonly benchmark: 'kingdom';
  readonly date: string;
  readonly label: string | null;
  readonly mode: 'full' | 'quick' | 'profile';
  readonly machine: ReturnType<typeof machineInfo>;
  readonly postgres: Awaited<ReturnType<typeof postgresInfo>>;
  readonly dataset: {
    readonly products: number;
    readonly batches: number;
    readonly allocations: number;
    readonly [key: string]: unknown;
  };
  readonly method: {
    /** How each server was started; `baseline` only with --baseline-dist. */
    readonly servers: { readonly kingdom: string; readonly baseline?: string } & Readonly<Record<string, string>>;
    readonly connections: number;
    readonly memoryConnections: number;
    readonly roundSeconds: number;
    readonly warmupSeconds: number;
    readonly rounds: number;
    readonly nestedEquivalence: { readonly equivalent: boolean; readonly differences: readonly string[] } | null;
    readonly [key: string]: unknown;
  };
  readonly scenarios: ScenarioResult[];
  /** The subscriptions group, when it ran. */
  readonly subscriptions?: SubscriptionResult[];
  /** VmRSS of each server after start-up and the checks, before any load. */
  readonly startupRssMiB: Record<string, number | null>;
  readonly highWaterRssMiB: Record<string, number | null>;
  readonly targets: TargetVerdict[];
  readonly profile: ProfileSummary | null;
  /** With --profile and --baseline-dist: the baseline build's profile, from the same run. */
  readonly profileBaseline: ProfileSummary | null;
  readonly baseline: BaselineComparison | null;
  readonly durationSeconds: number;
};

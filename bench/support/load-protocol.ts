/** What the benchmark orchestrator and the load-generator process (load-worker.ts) say to each other over IPC. */
import type { Stats } from './stats.ts';

/** Every request the same body, or an allocate mutation with a fresh order id (and SKU) per request. */
export type LoadBody =
  | { readonly kind: 'fixed'; readonly text: string }
  | {
      readonly kind: 'allocate';
      /** The mutation, taking `$input: AllocateInput!`. */
      readonly query: string;
      /** One SKU for every request (contended), or uniformly random among `SKU-00000001 ... SKU-<count>`. */
      readonly skus: { readonly fixed: string } | { readonly count: number };
      /** Prefix of the order ids: each request gets `<prefix>-<n>`, unique within the job. */
      readonly orderPrefix: string;
      readonly quantity: number;
      /** Seed of the SKU sequence, so a run is reproducible. */
      readonly seed: number;
    };

export type LoadJob = {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: LoadBody;
  readonly connections: number;
  readonly durationSeconds: number;
  /** Per request; a request slower than this counts as a timeout. */
  readonly timeoutSeconds: number;
  /** Inspect bodies for GraphQL errors (`"errors"`), counting them by extensions.code. */
  readonly graphql: boolean;
};

export type LoadResult = {
  readonly durationSeconds: number;
  /** Responses received (any status). */
  readonly responses: number;
  readonly requestsPerSecond: number;
  /** Exact, from every response's time (autocannon's `response` event, sub-millisecond). */
  readonly latency: Stats;
  /** autocannon's own figures (its histogram records whole milliseconds), for cross-checking. */
  readonly autocannon: {
    readonly p50Ms: number;
    readonly p99Ms: number;
    readonly meanMs: number;
    readonly requestsPerSecondMean: number;
  };
  readonly statusCodes: Readonly<Record<string, number>>;
  readonly non2xx: number;
  /** Connection errors, timeouts and resets: requests that got no HTTP answer. */
  readonly transport: { readonly errors: number; readonly timeouts: number; readonly resets: number };
  /** 2xx (or 4xx/5xx) answers whose body holds GraphQL errors. */
  readonly graphqlErrors: {
    readonly responses: number;
    readonly byCode: Readonly<Record<string, number>>;
    /** The first few error bodies per code, cut to 300 characters. */
    readonly samples: Readonly<Record<string, readonly string[]>>;
  };
  readonly bytesPerResponse: number;
  /** Every response time (ms) as a base64 Float32Array, so the orchestrator can merge rounds exactly. */
  readonly latencySamples: string;
};

export type LoadRequest = { readonly id: number; readonly job: LoadJob };
export type LoadReply =
  | { readonly id: number; readonly ok: true; readonly result: LoadResult }
  | { readonly id: number; readonly ok: false; readonly error: string };

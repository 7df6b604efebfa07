/**
 * What a load balancer does in front of several API instances, reduced to what the tests need: it polls each
 * instance's /readyz and sends requests round-robin to those that answered 200 (to all of them when none did, as
 * load balancers fail open); a request refused a connection (the instance is down) is sent to the next instance,
 * since nothing of it reached a server. Anything else is the answer: an error on an established connection is
 * never retried, as it could have run.
 */
import type { GraphQLResponse } from './server.ts';

export type Answer = GraphQLResponse & {
  /** Where it was answered, after any retries on another instance. */
  readonly origin: string;
  readonly ms: number;
};

export type Balancer = {
  /** POSTs a GraphQL operation to the next ready instance. */
  graphql(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<Answer>;
  /** The same, to one instance only (no retry elsewhere): "through instance A". */
  through(
    origin: string,
  ): (query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => Promise<Answer>;
  /** Requests sent again to another instance after a refused connection. */
  readonly retried: () => number;
  /** Resolves once `origin` has answered /readyz with 200. */
  whenReady(origin: string, timeoutMs?: number): Promise<void>;
  close(): void;
};

const refused = (error: unknown): boolean => (error as { cause?: { code?: unknown } }).cause?.code === 'ECONNREFUSED';

const post = async (
  origin: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Answer> => {
  const started = performance.now();
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: GraphQLResponse['body'];
  try {
    body = JSON.parse(text) as GraphQLResponse['body'];
  } catch {
    body = { errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] };
  }
  return { status: response.status, body, origin, ms: performance.now() - started };
};

export const createBalancer = (origins: readonly string[], options: { readonly pollMs?: number } = {}): Balancer => {
  const ready = new Map(origins.map((origin) => [origin, false]));
  let next = 0;
  let retries = 0;
  const poll = async (origin: string): Promise<void> => {
    try {
      const response = await fetch(`${origin}/readyz`, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      ready.set(origin, response.status === 200);
    } catch {
      ready.set(origin, false);
    }
  };
  const timer = setInterval(() => origins.forEach((origin) => void poll(origin)), options.pollMs ?? 100);
  origins.forEach((origin) => void poll(origin));

  const pick = (exclude: ReadonlySet<string>): string => {
    const open = origins.filter((origin) => !exclude.has(origin));
    const candidates = open.filter((origin) => ready.get(origin));
    const pool = candidates.length > 0 ? candidates : open.length > 0 ? open : origins;
    next = (next + 1) % pool.length;
    return pool[next]!;
  };

  return {
    graphql: async (query, variables, headers) => {
      const tried = new Set<string>();
      for (let attempt = 1; ; attempt += 1) {
        const origin = pick(tried);
        try {
          return await post(origin, query, variables, headers);
        } catch (error) {
          if (!refused(error) || attempt >= origins.length * 5) throw error;
          ready.set(origin, false);
          tried.add(origin);
          if (tried.size === origins.length) {
            tried.clear();
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          retries += 1;
        }
      }
    },
    through: (origin) => (query, variables, headers) => post(origin, query, variables, headers),
    retried: () => retries,
    whenReady: async (origin, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!ready.get(origin)) {
        if (Date.now() > deadline) throw new Error(`${origin} not ready after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    close: () => clearInterval(timer),
  };
};

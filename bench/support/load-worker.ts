/**
 * The load generator: a separate process (forked by load.ts) running autocannon's API, so the client's CPU shows up
 * in its own process and never inside the server's or the orchestrator's event loop. It takes one job at a time
 * over IPC and answers with a LoadResult; it exits when its parent goes away.
 */
import autocannon, { type Request } from 'autocannon';
import type { LoadBody, LoadJob, LoadReply, LoadRequest, LoadResult } from './load-protocol.ts';
import { statistics } from './stats.ts';

/** mulberry32: a tiny seeded PRNG, so the sequence of SKUs is the same on every run. */
const random = (seed: number) => {
  let state = seed >>> 0;
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** A growable Float64Array: a few hundred thousand latencies without boxing each number. */
const samples = () => {
  let values = new Float64Array(1 << 16);
  let length = 0;
  return {
    push(value: number) {
      if (length === values.length) {
        const bigger = new Float64Array(values.length * 2);
        bigger.set(values);
        values = bigger;
      }
      values[length++] = value;
    },
    values: () => values.subarray(0, length),
  };
};

const bodyMaker = (body: LoadBody): Pick<Request, 'body' | 'setupRequest'> => {
  if (body.kind === 'fixed') return { body: body.text };
  const { query, skus, orderPrefix, quantity } = body;
  const next = random(body.seed);
  let counter = 0;
  const prefix = `{"query":${JSON.stringify(query)},"variables":{"input":{"orderId":`;
  const skuOf =
    'fixed' in skus ? () => skus.fixed : () => `SKU-${String(1 + Math.floor(next() * skus.count)).padStart(8, '0')}`;
  return {
    setupRequest: (request) => ({
      ...request,
      body: `${prefix}${JSON.stringify(`${orderPrefix}-${++counter}`)},"sku":${JSON.stringify(skuOf())},"quantity":${quantity}}}}`,
    }),
  };
};

const ERROR_CODE = /"code":"([A-Za-z_]+)"/g;

const run = async (job: LoadJob): Promise<LoadResult> => {
  const latencies = samples();
  let bytes = 0;
  let graphqlErrorResponses = 0;
  const byCode: Record<string, number> = {};
  const errorSamples: Record<string, string[]> = {};

  const onResponse: Request['onResponse'] = (_status, body) => {
    if (!job.graphql) return;
    const text = typeof body === 'string' ? body : String(body);
    if (!text.includes('"errors"')) return;
    graphqlErrorResponses += 1;
    const codes = new Set([...text.matchAll(ERROR_CODE)].map((match) => match[1]!));
    if (codes.size === 0) codes.add('(no code)');
    for (const code of codes) {
      byCode[code] = (byCode[code] ?? 0) + 1;
      const kept = (errorSamples[code] ??= []);
      if (kept.length < 3) kept.push(text.slice(0, 300));
    }
  };

  const instance = autocannon({
    url: job.url,
    connections: job.connections,
    duration: job.durationSeconds,
    timeout: job.timeoutSeconds,
    requests: [{ method: 'POST', headers: { ...job.headers }, ...bodyMaker(job.body), onResponse }],
  });
  instance.on('response', (_client: unknown, _status: number, responseBytes: number, ms: number) => {
    latencies.push(ms);
    bytes += responseBytes;
  });
  const result = await instance;

  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]),
  );
  const responses = Object.values(statusCodes).reduce((sum, count) => sum + count, 0);
  return {
    durationSeconds: result.duration,
    responses,
    requestsPerSecond: Number((responses / result.duration).toFixed(1)),
    latency: statistics(latencies.values()),
    autocannon: {
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      meanMs: result.latency.mean,
      requestsPerSecondMean: result.requests.mean,
    },
    statusCodes,
    non2xx: result.non2xx,
    transport: { errors: result.errors, timeouts: result.timeouts, resets: result.resets },
    graphqlErrors: { responses: graphqlErrorResponses, byCode, samples: errorSamples },
    bytesPerResponse: responses === 0 ? 0 : Math.round(bytes / responses),
    latencySamples: Buffer.from(Float32Array.from(latencies.values()).buffer).toString('base64'),
  };
};

const reply = (message: LoadReply) => process.send?.(message);

process.on('message', (message: LoadRequest) => {
  run(message.job).then(
    (result) => reply({ id: message.id, ok: true, result }),
    (error: unknown) =>
      reply({
        id: message.id,
        ok: false,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  );
});
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true });

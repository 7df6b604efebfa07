/**
 * Metrics on a port of their own (METRICS_PORT, never the API's): Prometheus scrapes them after a few requests and
 * finds the counters moved. The worker runs in the same process (WORKER_IN_API), so its job metrics are there too.
 */
import { jest } from '@jest/globals';
import { sql } from 'slonik';
import { startTelemetry, type Telemetry } from '../../src/platform/telemetry/telemetry.ts';
import { freePort } from '../support/free-port.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { eventually } from './support/worker-process.ts';

jest.setTimeout(30_000);

let telemetry: Telemetry;
let server: TestServer;
let metricsUrl: string;

beforeAll(async () => {
  const port = await freePort();
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  telemetry = await startTelemetry({ service: 'kingdom-api', tracing: false, metrics: { port, host: '127.0.0.1' } });
  server = await startTestServer({ WORKER_IN_API: 'true', TRUSTED_DOCUMENTS: 'log' }, { telemetry });
});
afterAll(async () => {
  await server.close();
  await telemetry.shutdown();
});

/** Each sample of the exposition text: `name{labels} value`. */
const scrape = async (): Promise<Array<{ name: string; labels: string; value: number }>> => {
  const response = await fetch(metricsUrl);
  expect(response.status).toBe(200);
  return (await response.text())
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-z_:][a-z0-9_:]*)(\{.*\})? (\S+)/i.exec(line)!;
      return { name: match[1]!, labels: match[2] ?? '', value: Number(match[3]) };
    });
};
const valueOf = (samples: Awaited<ReturnType<typeof scrape>>, name: string, ...labels: string[]): number =>
  samples
    .filter((sample) => sample.name === name && labels.every((label) => sample.labels.includes(label)))
    .reduce((sum, sample) => sum + sample.value, 0);

test('after a few requests and jobs, the operation, error, pool, queue and job figures have moved', async () => {
  const before = await scrape();
  const admin = await server.signIn('admin@e2e.test', 'e2e administrator password');
  for (let page = 0; page < 3; page += 1) {
    await server.graphql('query Shelf { products(first: 2) { totalCount } }', {}, admin);
  }
  await server.graphql(
    'mutation ($input: AddBatchInput!) { addBatch(input: $input) { batch { reference } } }',
    { input: { reference: 'measured-1', sku: 'MEASURED', quantity: 1 } },
    admin,
  );
  const shortage = await server.graphql(
    'mutation Shortage($input: AllocateInput!) { allocate(input: $input) { batchReference } }',
    { input: { orderId: 'measured-order', sku: 'MEASURED', quantity: 9 } },
    admin,
  );
  expect(shortage.body.errors?.[0]?.extensions?.code).toBe('OUT_OF_STOCK');
  // A job whose payload is not an Envelope: it fails (and will be retried).
  await server.pool.query(
    sql.unsafe`SELECT graphile_worker.add_job('notifyOutOfStock', '{"not": "an envelope"}'::json)`,
  );

  const after = await eventually(async () => {
    const samples = await scrape();
    const failed = valueOf(samples, 'kingdom_jobs_failures_total', 'task="notifyOutOfStock"', 'final="false"');
    const ran = valueOf(samples, 'kingdom_jobs_duration_count', 'task="notifyOutOfStock"', 'outcome="ok"');
    // Once its failure is recorded, the failed job waits for its retry: scheduled, not ready.
    const retrying = valueOf(samples, 'kingdom_jobs_queue', 'state="scheduled"');
    return failed >= 1 && ran >= 1 && retrying >= 1 ? samples : undefined;
  }, 'the jobs to run, and one to fail and wait for its retry');
  const moved = (name: string, ...labels: string[]) =>
    valueOf(after, name, ...labels) - valueOf(before, name, ...labels);

  const shelf = ['graphql_operation_name="Shelf"', 'graphql_operation_type="query"'];
  expect(moved('kingdom_graphql_operation_duration_count', ...shelf)).toBe(3);
  expect(moved('kingdom_graphql_operation_duration_sum', ...shelf)).toBeGreaterThan(0);
  expect(
    moved('kingdom_graphql_errors_total', 'graphql_operation_name="Shortage"', 'graphql_error_code="OUT_OF_STOCK"'),
  ).toBe(1);
  expect(moved('kingdom_jobs_age_at_start_count', 'task="notifyOutOfStock"')).toBeGreaterThanOrEqual(2);
  expect(valueOf(after, 'kingdom_db_pool_connections', 'state="max"')).toBe(10);
  expect(
    after.some((sample) => sample.name === 'kingdom_db_pool_connections' && sample.labels.includes('state="in_use"')),
  ).toBe(true);
  expect(after.some((sample) => sample.name === 'kingdom_db_pool_waiting')).toBe(true);
  expect(valueOf(after, 'kingdom_jobs_queue', 'state="failed"')).toBe(0);
  // These operations are not in the trusted documents (TRUSTED_DOCUMENTS=log counts them).
  expect(moved('kingdom_trusted_documents_unknown_operations_total')).toBeGreaterThanOrEqual(4);
});

test('the API port itself serves no metrics', async () => {
  expect((await fetch(new URL('/metrics', server.url))).status).toBe(404);
});

/**
 * Tracing as deployed: the API and the worker as separate processes (`node src/main.ts`, `node src/worker.ts`)
 * with OTEL_EXPORTER_OTLP_ENDPOINT pointing at a collector stand-in here, which receives OTLP over HTTP (JSON).
 * The worker's span for a job joins the trace of the request that caused the job, across the two processes, and
 * the worker's log line about the job names that trace.
 */
import { jest } from '@jest/globals';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { graphqlOver, killLeftoverServers, spawnServer } from './support/process.ts';
import { TEST_ADMIN, TEST_JWT_SECRET } from './support/server.ts';
import { eventually, killLeftoverWorkers, spawnWorker } from './support/worker-process.ts';

jest.setTimeout(60_000);

type ReceivedSpan = { service: string; traceId: string; spanId: string; parentSpanId?: string; name: string };
type OtlpAttribute = { key: string; value: { stringValue?: string } };
type OtlpExport = {
  resourceSpans?: Array<{
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: Array<{ spans?: Array<Omit<ReceivedSpan, 'service'>> }>;
  }>;
};

const received: ReceivedSpan[] = [];
let collector: Server;
let database: TestDatabase;

beforeAll(async () => {
  collector = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      for (const resourceSpans of (JSON.parse(body) as OtlpExport).resourceSpans ?? []) {
        const service = resourceSpans.resource?.attributes?.find((attribute) => attribute.key === 'service.name');
        for (const scope of resourceSpans.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) received.push({ ...span, service: service?.value.stringValue ?? '' });
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  collector.listen(0, '127.0.0.1');
  await once(collector, 'listening');
  database = await createTestDatabase();
});
afterAll(async () => {
  killLeftoverServers();
  killLeftoverWorkers();
  collector.close();
  await database.drop();
});

test('the job run by the worker process continues the trace of the request to the API process', async () => {
  const telemetry = {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    // Exported within a tenth of a second rather than every five.
    OTEL_BSP_SCHEDULE_DELAY: '100',
    DATABASE_URL: database.url,
    NODE_ENV: 'test',
    LOG_FORMAT: 'json',
  };
  const [api, worker] = await Promise.all([
    spawnServer({
      ...telemetry,
      JWT_SECRET: TEST_JWT_SECRET,
      KINGDOM_ADMIN_EMAIL: TEST_ADMIN.email,
      KINGDOM_ADMIN_PASSWORD: TEST_ADMIN.password,
    }),
    spawnWorker(telemetry),
  ]);
  const signedIn = await graphqlOver(
    api.url,
    'mutation ($input: LogInInput!) { logIn(input: $input) { accessToken } }',
    {
      input: TEST_ADMIN,
    },
  );
  const admin = { authorization: `Bearer ${(signedIn.body.data!.logIn as { accessToken: string }).accessToken}` };
  await graphqlOver(
    api.url,
    'mutation ($input: AddBatchInput!) { addBatch(input: $input) { batch { reference } } }',
    { input: { reference: 'exported-1', sku: 'EXPORTED', quantity: 1 } },
    admin,
  );
  const shortage = await graphqlOver(
    api.url,
    'mutation Shortage($input: AllocateInput!) { allocate(input: $input) { batchReference } }',
    { input: { orderId: 'exported-order', sku: 'EXPORTED', quantity: 4 } },
    admin,
  );
  expect((shortage.body.errors?.[0] as { extensions?: { code?: string } }).extensions?.code).toBe('OUT_OF_STOCK');

  const operation = await eventually(
    async () => received.find((span) => span.name === 'mutation Shortage'),
    'the API to export the operation span',
  );
  const run = await eventually(
    async () => received.find((span) => span.name === 'notifyOutOfStock process' && span.traceId === operation.traceId),
    "the worker to export the job's span in the request's trace",
  );
  expect(operation.service).toBe('kingdom-api');
  expect(run.service).toBe('kingdom-worker');
  const publish = received.find((span) => span.spanId === run.parentSpanId)!;
  expect({ name: publish.name, service: publish.service, traceId: publish.traceId }).toEqual({
    name: 'notifyOutOfStock publish',
    service: 'kingdom-api',
    traceId: operation.traceId,
  });
  // The worker's SQL inside the job is in the trace too, below the job's span.
  await eventually(
    async () => received.find((span) => span.service === 'kingdom-worker' && span.parentSpanId === run.spanId),
    "the job's SQL statements, below its span",
  );
  const completed = worker.logs.find((line) => line.msg === 'job completed' && line.task === 'notifyOutOfStock');
  expect(completed).toMatchObject({ trace_id: operation.traceId, span_id: run.spanId });

  api.child.kill('SIGTERM');
  worker.child.kill('SIGTERM');
  expect(await Promise.all([api.exited, worker.exited])).toEqual([0, 0]);
});

/**
 * One trace from the HTTP request to the job its mutation caused: the request's span, the GraphQL operation's,
 * the root field's, each SQL statement's (its text, never its values), the job enqueued, and the job's run in the
 * worker, which continues the trace from the job's payload (the job crosses Postgres, not memory). Spans go to the
 * SDK's in-memory exporter instead of OTLP.
 */
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/platform/logger.ts';
import { startTelemetry, type Telemetry } from '../../src/platform/telemetry/telemetry.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { eventually } from './support/worker-process.ts';

const exporter = new InMemorySpanExporter();
const logLines: Array<Record<string, unknown>> = [];
let telemetry: Telemetry;
let server: TestServer;

beforeAll(async () => {
  telemetry = await startTelemetry({
    service: 'kingdom-api',
    tracing: false,
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const logs = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as never);
      done();
    },
  });
  const logger = createLogger({ LOG_LEVEL: 'info', logFormat: 'json', traceIds: true }, logs);
  // The worker runs in this process (WORKER_IN_API), so its spans reach the same exporter.
  server = await startTestServer({ WORKER_IN_API: 'true' }, { logger, telemetry });
});
afterAll(async () => {
  await server.close();
  await telemetry.shutdown();
});

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

test('an allocation that finds no stock: one trace from the HTTP request through its SQL to the job run', async () => {
  const admin = await server.signIn('admin@e2e.test', 'e2e administrator password');
  await server.graphql(
    'mutation ($input: AddBatchInput!) { addBatch(input: $input) { batch { reference } } }',
    { input: { reference: 'traced-1', sku: 'TRACED', quantity: 1 } },
    admin,
  );
  exporter.reset();
  const orderId = 'order-traced-7f3a';
  const answer = await server.graphql(
    'mutation Shortage($input: AllocateInput!) { allocate(input: $input) { batchReference } }',
    { input: { orderId, sku: 'TRACED', quantity: 5 } },
    admin,
  );
  expect(answer.body.errors?.[0]?.extensions?.code).toBe('OUT_OF_STOCK');

  const spans = await eventually(async () => {
    const finished = exporter.getFinishedSpans();
    return finished.some((span) => span.name === 'notifyOutOfStock process') ? finished : undefined;
  }, 'the job to run and its span to end');
  const operation = spans.find((span) => span.name === 'mutation Shortage')!;
  const inTrace = spans.filter((span) => span.spanContext().traceId === operation.spanContext().traceId);
  const named = (name: string) => inTrace.find((span) => span.name === name)!;

  // HTTP request -> operation -> root field.
  const request = inTrace.find((span) => span.kind === SpanKind.SERVER)!;
  expect(parentOf(request)).toBeUndefined();
  expect(request.attributes['http.request.method']).toBe('POST');
  expect(parentOf(operation)).toBe(request.spanContext().spanId);
  expect(operation.attributes).toMatchObject({
    'graphql.operation.type': 'mutation',
    'graphql.operation.name': 'Shortage',
    'graphql.error.codes': ['OUT_OF_STOCK'],
  });
  const field = named('Mutation.allocate');
  expect(parentOf(field)).toBe(operation.spanContext().spanId);

  // The field's SQL, each statement a span, with its text and never a value.
  const statements = inTrace.filter((span) => span.attributes['db.system.name'] === 'postgresql');
  const texts = statements.map((span) => String(span.attributes['db.query.text']));
  expect(texts).toEqual(expect.arrayContaining([expect.stringMatching(/graphile_worker\.add_job/)]));
  expect(JSON.stringify(inTrace.map((span) => span.attributes))).not.toContain(orderId);

  // The job: enqueued inside the field's transaction, run by the worker in the same trace.
  const publish = named('notifyOutOfStock publish');
  expect(publish.kind).toBe(SpanKind.PRODUCER);
  const run = named('notifyOutOfStock process');
  expect(run.kind).toBe(SpanKind.CONSUMER);
  expect(parentOf(run)).toBe(publish.spanContext().spanId);
  expect(run.attributes['messaging.message.id']).toBe(publish.attributes['messaging.message.id']);
  const jobStatements = statements.filter((span) => parentOf(span) === run.spanContext().spanId);
  expect(jobStatements.map((span) => String(span.attributes['db.query.text'])).join('\n')).toMatch(
    /processed_messages/,
  );

  // And the worker's log line about that job names the trace and the job's span.
  const completed = logLines.find((line) => line.msg === 'job completed' && line.task === 'notifyOutOfStock');
  expect(completed).toMatchObject({ trace_id: run.spanContext().traceId, span_id: run.spanContext().spanId });
});

test("a GET request's query string is recorded without its values (the document and variables stay here)", async () => {
  exporter.reset();
  const variables = encodeURIComponent(JSON.stringify({ secret: 'someone@example.com' }));
  const query = encodeURIComponent('query Probe { __typename }');
  const response = await fetch(`${server.url}?query=${query}&variables=${variables}`, {
    headers: { 'apollo-require-preflight': 'true' },
  });
  expect(response.status).toBe(200);
  const request = await eventually(
    async () => exporter.getFinishedSpans().find((span) => span.kind === SpanKind.SERVER),
    'the request span',
  );
  expect(request.attributes['url.query']).toBe('query=REDACTED&variables=REDACTED');
  expect(JSON.stringify(exporter.getFinishedSpans().map((span) => span.attributes))).not.toContain('example.com');
});

test('health checks make no spans: a load balancer calls them every few seconds', async () => {
  exporter.reset();
  await fetch(new URL('/readyz', server.url));
  await fetch(new URL('/healthz', server.url));
  expect(exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.SERVER)).toEqual([]);
});

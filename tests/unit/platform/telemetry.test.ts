/**
 * Telemetry off is free: nothing of the SDK is registered with the OpenTelemetry API (whose calls then do nothing),
 * no module is patched, and no part of the server is wrapped. On, it registers and patches; shut down, it undoes
 * all of it.
 */
import http from 'node:http';
import { context, createContextKey, metrics, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { buildSchema } from 'graphql';
import pg from 'pg';
import { observabilityOf } from '../../../src/platform/telemetry/observability.ts';
import { NO_TELEMETRY, startTelemetry } from '../../../src/platform/telemetry/telemetry.ts';

const wrapped = (method: unknown): boolean => '__wrapped' in (method as object);

/** What the OpenTelemetry API does right now: record a span, carry a context, inject a trace header, meter. */
const apiState = () => {
  const key = createContextKey('probe');
  const span = trace.getTracer('probe').startSpan('probe');
  const carrier: Record<string, string> = {};
  const state = context.with(trace.setSpan(context.active().setValue(key, 1), span), () => {
    propagation.inject(context.active(), carrier);
    return {
      recording: span.isRecording(),
      contextCarried: context.active().getValue(key) === 1,
      injected: Object.keys(carrier),
      meterProvider: metrics.getMeterProvider().constructor.name,
      pgQueryPatched: wrapped(pg.Client.prototype.query),
      httpServerPatched: wrapped(http.Server.prototype.emit),
    };
  });
  span.end();
  return state;
};

const NOTHING = {
  recording: false,
  contextCarried: false,
  injected: [],
  meterProvider: 'NoopMeterProvider',
  pgQueryPatched: false,
  httpServerPatched: false,
};

test('off: nothing is started, registered or patched, and the server is not wrapped', async () => {
  expect(await startTelemetry({ service: 'kingdom-api', tracing: false })).toBe(NO_TELEMETRY);
  expect(apiState()).toEqual(NOTHING);
  const observed = observabilityOf(NO_TELEMETRY);
  const schema = buildSchema('type Query { ok: Boolean }');
  expect({ plugins: observed.plugins, sameSchema: observed.schema(schema) === schema, jobs: observed.jobs }).toEqual({
    plugins: [],
    sameSchema: true,
    jobs: undefined,
  });
});

test('on: spans are recorded, the trace header is injected, pg and http are patched; shut down, all undone', async () => {
  const exporter = new InMemorySpanExporter();
  const processor = new SimpleSpanProcessor({ exporter });
  const telemetry = await startTelemetry({ service: 'kingdom-api', tracing: false, spanProcessors: [processor] });
  expect(telemetry.tracing).toBe(true);
  expect(apiState()).toEqual({
    ...NOTHING,
    recording: true,
    contextCarried: true,
    injected: ['traceparent'],
    pgQueryPatched: true,
    httpServerPatched: true,
  });
  await processor.forceFlush();
  expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['probe']);

  await telemetry.shutdown();
  expect(apiState()).toEqual(NOTHING);
});

/** With tracing on, every log line written inside a span names its trace and span, so a log line finds its trace. */
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/platform/logger.ts';
import { startTelemetry, type Telemetry } from '../../../src/platform/telemetry/telemetry.ts';

let telemetry: Telemetry;
beforeAll(async () => {
  const processor = new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() });
  telemetry = await startTelemetry({ service: 'kingdom-api', tracing: false, spanProcessors: [processor] });
});
afterAll(() => telemetry.shutdown());

const recordingLogger = (settings: { traceIds?: boolean; OTEL_EXPORTER_OTLP_ENDPOINT?: string }) => {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ LOG_LEVEL: 'info', logFormat: 'json', ...settings }, destination), lines };
};

test('a line logged inside a span carries trace_id, span_id and trace_flags; outside a span, none', () => {
  const { logger, lines } = recordingLogger({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' });
  const ids = trace.getTracer('test').startActiveSpan('work', (span) => {
    logger.info({ step: 1 }, 'inside');
    span.end();
    return span.spanContext();
  });
  logger.info({ step: 2 }, 'outside');
  expect(lines[0]).toMatchObject({ msg: 'inside', trace_id: ids.traceId, span_id: ids.spanId, trace_flags: '01' });
  expect(lines[1]).not.toHaveProperty('trace_id');
});

test('without tracing configured, lines carry no ids even inside a span (no work per line)', () => {
  const { logger, lines } = recordingLogger({});
  trace.getTracer('test').startActiveSpan('work', (span) => {
    logger.info({}, 'inside');
    span.end();
  });
  expect(lines[0]).not.toHaveProperty('trace_id');
});

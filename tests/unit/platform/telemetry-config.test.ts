/** Which telemetry a process starts follows from two settings, and metrics never share the public port. */
import { ConfigError, loadConfig } from '../../../src/platform/config.ts';
import { telemetryOptionsFrom } from '../../../src/platform/telemetry/telemetry.ts';

const config = (environment: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...environment });

test('neither setting: no tracing, no metrics', () => {
  expect(telemetryOptionsFrom(config({}), 'kingdom-api')).toEqual({ service: 'kingdom-api', tracing: false });
});

test('OTEL_EXPORTER_OTLP_ENDPOINT turns tracing on; METRICS_PORT serves metrics on the process host', () => {
  const options = telemetryOptionsFrom(
    config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', METRICS_PORT: '9464', HOST: '0.0.0.0' }),
    'kingdom-worker',
  );
  expect(options).toEqual({ service: 'kingdom-worker', tracing: true, metrics: { port: 9464, host: '0.0.0.0' } });
});

test('METRICS_PORT equal to PORT is refused: metrics are never on the public port', () => {
  expect(() => config({ PORT: '4000', METRICS_PORT: '4000' })).toThrow(ConfigError);
  expect(() => config({ PORT: '4000', METRICS_PORT: '4000' })).toThrow(/METRICS_PORT: must differ from PORT/);
});

test('an endpoint that is not an http(s) URL is refused', () => {
  expect(() => config({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
});

/**
 * Traces and metrics through OpenTelemetry, both off unless asked for: OTEL_EXPORTER_OTLP_ENDPOINT turns tracing on
 * (spans exported over OTLP), METRICS_PORT a Prometheus scrape endpoint on a port of its own. Off, nothing of the
 * SDK is loaded, nothing is registered with the OpenTelemetry API (whose calls then do nothing) and no code path
 * is wrapped: the server runs exactly as without this module (sdk.ts is imported only when something is on).
 */
import type { Meter } from '@opentelemetry/api';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import type { Config } from '../config.ts';

export type TelemetryOptions = {
  /** `service.name` of everything it reports (OTEL_SERVICE_NAME, when set, wins). */
  readonly service: 'kingdom-api' | 'kingdom-worker';
  /** Export spans over OTLP, configured by the OTEL_* variables (OTEL_EXPORTER_OTLP_ENDPOINT is set). */
  readonly tracing: boolean;
  /** Serve Prometheus metrics (GET /metrics) there. */
  readonly metrics?: { readonly port: number; readonly host: string };
  /** Where spans go instead of OTLP (tests: an in-memory exporter); tracing is on with them. */
  readonly spanProcessors?: readonly SpanProcessor[];
};

export type Telemetry = {
  /** Spans are recorded: the GraphQL plugin, root fields, jobs and log lines take part. */
  readonly tracing: boolean;
  /** Where the application's instruments are created; null when metrics are off. */
  readonly meter: Meter | null;
  /** Flushes what is pending, stops the metrics endpoint, and unregisters everything. */
  shutdown(): Promise<void>;
};

export const NO_TELEMETRY: Telemetry = { tracing: false, meter: null, shutdown: async () => undefined };

export const telemetryOptionsFrom = (config: Config, service: TelemetryOptions['service']): TelemetryOptions => ({
  service,
  tracing: config.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined,
  ...(config.METRICS_PORT === undefined ? {} : { metrics: { port: config.METRICS_PORT, host: config.host } }),
});

export const startTelemetry = async (options: TelemetryOptions): Promise<Telemetry> => {
  const tracing = options.tracing || (options.spanProcessors?.length ?? 0) > 0;
  if (!tracing && !options.metrics) return NO_TELEMETRY;
  const { startOpenTelemetry } = await import('./sdk.ts');
  return startOpenTelemetry({ ...options, tracing });
};

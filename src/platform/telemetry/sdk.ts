/**
 * The OpenTelemetry Node SDK, started only when traces or metrics are asked for (telemetry.ts imports this file
 * then, and only then). Traces: a span per HTTP request (instrumentation-http, incoming only, health checks left
 * out) and per SQL statement inside a traced request or job (instrumentation-pg, statement text without values),
 * exported as the OTEL_* variables say (OTLP). Metrics: a Prometheus endpoint on its own port.
 */
import http from 'node:http';
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import type { InstrumentationBase } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import pg from 'pg';
import type { Telemetry, TelemetryOptions } from './telemetry.ts';

/** Probes, not requests: a load balancer calls them every few seconds. */
const HEALTH_CHECKS = new Set(['/healthz', '/readyz']);

/**
 * A GET request carries the GraphQL document and its variables (personal data, perhaps) in its query string, which
 * the HTTP span records as `url.query`: the parameters' names are kept, their values never leave the process.
 */
export const redactedQuery = (query: string): string =>
  query
    .split('&')
    .map((pair) => `${pair.split('=')[0]}=REDACTED`)
    .join('&');

/**
 * The SDK patches modules as they are required, but `pg` and `node:http` were imported (as ES modules) before it
 * started. So each instrumentation's patch is applied here to the very module objects the application uses, as
 * bundlers do with `getModuleDefinitions()`; the patches replace prototype methods (Client.prototype.query,
 * Server.prototype.emit), so every client and server made from them is covered. Returns what undoes them.
 */
const patchLoadedModules = (instrumentations: readonly InstrumentationBase[]): (() => void) => {
  const loaded: Readonly<Record<string, unknown>> = { pg, http };
  const undo: Array<() => void> = [];
  for (const instrumentation of instrumentations) {
    for (const definition of instrumentation.getModuleDefinitions()) {
      const exports = loaded[definition.name];
      if (!exports || !definition.patch) continue;
      definition.patch(exports);
      undo.push(() => definition.unpatch?.(exports));
    }
  }
  return () => undo.forEach((step) => step());
};

export const startOpenTelemetry = async (options: TelemetryOptions): Promise<Telemetry> => {
  const instrumentations: InstrumentationBase[] = options.tracing
    ? [
        new HttpInstrumentation({
          disableOutgoingRequestInstrumentation: true,
          ignoreIncomingRequestHook: (request) => HEALTH_CHECKS.has((request.url ?? '').split('?')[0] ?? ''),
          requestHook: (span, request) => {
            const query = 'url' in request ? request.url?.split('?')[1] : undefined;
            if (query) span.setAttribute('url.query', redactedQuery(query));
          },
        }),
        // Only inside a traced request or job: the job worker's own polling would be noise.
        new PgInstrumentation({ requireParentSpan: true }),
      ]
    : [];
  const prometheus = options.metrics
    ? new PrometheusExporter({ port: options.metrics.port, host: options.metrics.host, preventServerStart: true })
    : undefined;
  await prometheus?.startServer();

  const sdk = new NodeSDK({
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, read by the SDK's resource detectors, win over this.
    resource: defaultResource().merge(resourceFromAttributes({ 'service.name': options.service })),
    instrumentations,
    metricReaders: prometheus ? [prometheus] : [],
    // Given processors replace the OTLP export the OTEL_* variables configure; none at all: no tracing.
    ...(options.spanProcessors
      ? { spanProcessors: [...options.spanProcessors] }
      : options.tracing
        ? {}
        : { spanProcessors: [] }),
    // Logs stay on stdout (with trace ids, logger.ts); nothing is exported as OpenTelemetry logs.
    logRecordProcessors: [],
  });
  sdk.start();
  const unpatch = patchLoadedModules(instrumentations);

  return {
    tracing: options.tracing,
    meter: prometheus ? metrics.getMeter('kingdom') : null,
    shutdown: async () => {
      unpatch();
      for (const instrumentation of instrumentations) instrumentation.disable();
      await sdk.shutdown();
      // Unregistered, so a later start (another test in the same process) registers afresh.
      trace.disable();
      context.disable();
      propagation.disable();
      metrics.disable();
    },
  };
};

/**
 * --baseline-telemetry: where the baseline server's telemetry goes. Traces: OTLP/HTTP to a local sink that accepts
 * and discards them (support/otlp-sink.ts), as a collector next to the server would. Metrics: its Prometheus
 * endpoint, scraped every 15 s as Prometheus does by default. Both stop with the run.
 */
import { freePort } from '../../tests/support/free-port.ts';
import { progress } from '../support/cli.ts';
import type { Lifecycle } from '../support/lifecycle.ts';
import { startChildServer, type ChildServer } from '../support/processes.ts';
import { REPOSITORY } from '../support/results.ts';

const SCRAPE_INTERVAL_MS = 15_000;

export const startTelemetrySinks = async (
  lifecycle: Lifecycle,
  startWithFreePort: (start: (port: number) => Promise<ChildServer>) => Promise<ChildServer>,
): Promise<Record<string, string>> => {
  const sink = await startWithFreePort((port) =>
    startChildServer({
      name: 'OTLP sink',
      cwd: REPOSITORY,
      args: ['bench/support/otlp-sink.ts'],
      env: { PORT: String(port) },
      port,
      readyPath: '/healthz',
    }),
  );
  lifecycle.defer('the OTLP sink', async () => {
    const stats = await fetch(new URL('/stats', sink.url))
      .then((response) => response.json())
      .catch(() => null);
    progress(`OTLP sink received ${JSON.stringify(stats)} (export requests, bytes)`);
    await sink.stop();
  });
  const metricsPort = await freePort();
  const scraper = setInterval(() => {
    void fetch(`http://127.0.0.1:${metricsPort}/metrics`)
      .then((response) => response.arrayBuffer())
      .catch(() => undefined);
  }, SCRAPE_INTERVAL_MS);
  lifecycle.defer('the metrics scraper', async () => clearInterval(scraper));
  progress(`baseline telemetry: OTLP sink at ${new URL(sink.url).origin}, metrics on port ${metricsPort}`);
  return { OTEL_EXPORTER_OTLP_ENDPOINT: new URL(sink.url).origin, METRICS_PORT: String(metricsPort) };
};

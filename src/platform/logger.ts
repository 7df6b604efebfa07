import { trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import pretty from 'pino-pretty';
import type { Logger } from '../core/ports.ts';
import type { Config } from './config.ts';

export type AppLogger = PinoLogger;

export type LoggerSettings = Pick<Config, 'LOG_LEVEL'> &
  Partial<Pick<Config, 'logFormat' | 'OTEL_EXPORTER_OTLP_ENDPOINT'>> & {
    /** Put the active span's trace_id and span_id on every line. Default: when tracing is on. */
    readonly traceIds?: boolean;
  };

/** The active span's ids, as the OpenTelemetry log data model names them: a log line finds its trace. */
const traceFields = (): Record<string, string> => {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId, traceFlags } = span.spanContext();
  return { trace_id: traceId, span_id: spanId, trace_flags: traceFlags.toString(16).padStart(2, '0') };
};

/**
 * Readable lines for a person (LOG_FORMAT=pretty, the development default): time, level and message, then the
 * fields on the same line; errors with their stack below. Written synchronously in this thread (no worker thread),
 * so nothing is lost when the process exits right after logging.
 */
const prettyStream = (destination?: NodeJS.WritableStream): DestinationStream =>
  pretty({
    sync: true,
    ignore: 'pid,hostname,service',
    translateTime: 'SYS:HH:MM:ss',
    singleLine: true,
    ...(destination ? { destination, colorize: false } : {}),
  });

/**
 * JSON on stdout (LOG_FORMAT=json, the default outside development), or readable lines; secrets that may appear in
 * logged objects are redacted either way. `destination` replaces stdout (tests).
 */
export const createLogger = (settings: LoggerSettings, destination?: NodeJS.WritableStream): AppLogger => {
  const traceIds = settings.traceIds ?? settings.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined;
  const options = {
    level: settings.LOG_LEVEL,
    base: { service: 'kingdom' },
    // Only with tracing on: otherwise no function runs per line.
    ...(traceIds ? { mixin: traceFields } : {}),
    redact: {
      paths: ['req.headers.authorization', '*.password', '*.token', '*.refreshToken', '*.accessToken'],
      censor: '[redacted]',
    },
  };
  if (settings.logFormat === 'pretty') return pino(options, prettyStream(destination));
  return destination ? pino(options, destination as DestinationStream) : pino(options);
};

/**
 * A child logger (e.g. bound to a request id) made only when something is logged: pino serialises a child's
 * bindings when it is made, a cost every request paid although almost none logs anything
 * (docs/decisions/0005-benchmark-driven-tweaks.md).
 * Plain methods, not a getter: Apollo copies the context object per request, which would call a getter anyway.
 */
export const childOnFirstUse = (logger: AppLogger, bindings: Record<string, unknown>): Logger => {
  let child: AppLogger | undefined;
  const made = () => (child ??= logger.child(bindings));
  return {
    error: (object, message) => made().error(object, message),
    warn: (object, message) => made().warn(object, message),
    info: (object, message) => made().info(object, message),
    debug: (object, message) => made().debug(object, message),
  };
};

import { pino, type Logger as PinoLogger } from 'pino';
import type { Logger } from '../core/ports.ts';
import type { Config } from './config.ts';

export type AppLogger = PinoLogger;

/** Structured JSON on stdout; secrets that may appear in logged objects are redacted. */
export const createLogger = (config: Pick<Config, 'LOG_LEVEL'>): AppLogger =>
  pino({
    level: config.LOG_LEVEL,
    base: { service: 'kingdom' },
    redact: {
      paths: ['req.headers.authorization', '*.password', '*.token', '*.refreshToken', '*.accessToken'],
      censor: '[redacted]',
    },
  });

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

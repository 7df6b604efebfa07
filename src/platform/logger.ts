import { pino, type Logger as PinoLogger } from 'pino';
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

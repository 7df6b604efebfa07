/**
 * What every process of Kingdom (the API, the worker) does first: read the configuration or exit 1 naming the bad
 * variable, and exit 1 on anything uncaught, since a process in an unknown state must not keep working: log it,
 * exit non-zero, let the supervisor restart it.
 */
import { ConfigError, loadConfig, type Config } from './config.ts';
import type { AppLogger } from './logger.ts';

export const readConfigOrExit = (
  check: (config: Config) => void = () => undefined,
  options?: Parameters<typeof loadConfig>[1],
): Config => {
  try {
    const config = loadConfig(process.env, options);
    check(config);
    return config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
};

export const exitOnUncaughtErrors = (logger: AppLogger): void => {
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception; exiting');
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection; exiting');
    process.exit(1);
  });
};

/**
 * SIGTERM/SIGINT run `stop` once (a second signal changes nothing), then exit 0, or 1 when stopping failed.
 * Register it before start-up finishes: a signal that arrives while the process migrates or seeds must still stop
 * it cleanly (`stop` awaits whatever start-up brought up).
 */
export const stopOnSignals = (logger: AppLogger, doing: string, stop: () => Promise<void>): void => {
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `shutting down: ${doing}`);
    try {
      await stop();
      logger.info('stopped cleanly');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', (signal) => void shutdown(signal));
  process.on('SIGINT', (signal) => void shutdown(signal));
};

/**
 * What every process of Kingdom (the API, the worker) does first: read the configuration or exit 1 naming the bad
 * variable, and exit 1 on anything uncaught, since a process in an unknown state must not keep working: log it,
 * exit non-zero, let the supervisor restart it.
 */
import { ConfigError, loadConfig, type Config } from './config.ts';
import type { AppLogger } from './logger.ts';

export const readConfigOrExit = (check: (config: Config) => void = () => undefined, options?: Parameters<typeof loadConfig>[1]): Config => {
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

/**
 * Applies the committed graphile-migrate migrations (`migrations/committed/*.sql`, never `current.sql`) through
 * graphile-migrate's programmatic API, with the settings of the repository's `.gmrc` (read by graphile-migrate's
 * own loader, so the CLI and the server share one source of truth). Serialised by graphile-migrate's advisory
 * lock; a database that is up to date is left untouched.
 */
import path from 'node:path';
import { Logger, migrate, type Settings } from 'graphile-migrate';
import { Logger as WorkerLogger, runMigrations as installJobQueue } from 'graphile-worker';
// Not re-exported by the package index: the .gmrc loader the CLI uses, and the pool cache's release.
import { getSettings } from 'graphile-migrate/dist/commands/_common.js';
import { clearAllPools } from 'graphile-migrate/dist/pgReal.js';

export type MigrationLogLevel = 'error' | 'warning' | 'info' | 'debug';

export type RunMigrationsOptions = {
  /** Passed to graphile-migrate as shadowConnectionString (only its development commands use the shadow DB). */
  readonly shadowConnectionString?: string;
  /** Receives graphile-migrate's messages. Default: errors and warnings to stderr, the rest dropped. */
  readonly log?: (level: MigrationLogLevel, message: string) => void;
};

/** The repository root (this file is at `<root>/src/platform/database/`, or `<root>/dist/platform/database/` built). */
const repositoryRoot = path.resolve(import.meta.dirname, '..', '..', '..');

const defaultLog = (level: MigrationLogLevel, message: string): void => {
  if (level === 'error' || level === 'warning') console.error(message);
};

/** The `.gmrc` settings, with the migrations folder resolved against the repository root. */
export const migrationSettings = async (): Promise<Settings> => {
  const settings = await getSettings({ configFile: path.join(repositoryRoot, '.gmrc') });
  return {
    ...settings,
    migrationsFolder: path.resolve(repositoryRoot, settings.migrationsFolder ?? 'migrations'),
  };
};

/**
 * graphile-migrate takes its lock without waiting (pg_try_advisory_lock) and fails at once when another process
 * holds it: the API and a worker starting together would lose one of them. Wait for the other to finish instead
 * (bounded: a lock held for half a minute is a stuck migration, worth failing on).
 */
const migrateWhenUnlocked = async (settings: Settings, deadline = Date.now() + 30_000): Promise<void> => {
  for (let delayMs = 50; ; delayMs = Math.min(delayMs * 2, 1000)) {
    try {
      return await migrate(settings);
    } catch (error) {
      const locked = error instanceof Error && /exclusive lock/i.test(error.message);
      if (!locked || Date.now() + delayMs > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
};

export const runMigrations = async (connectionString: string, options: RunMigrationsOptions = {}): Promise<void> => {
  const log = options.log ?? defaultLog;
  const logger = new Logger(() => (level, message) => log(level as string as MigrationLogLevel, message));
  const settings: Settings = {
    ...(await migrationSettings()),
    connectionString,
    ...(options.shadowConnectionString ? { shadowConnectionString: options.shadowConnectionString } : {}),
    logger,
  };
  try {
    await migrateWhenUnlocked(settings);
    // graphile-worker's own schema (graphile_worker.*), which it versions itself: the API enqueues jobs into it
    // from its transactions, so it must exist before the first request, not only once a worker has started.
    await installJobQueue({
      connectionString,
      logger: new WorkerLogger(
        () => (level, message) => log(level === 'warning' ? 'warning' : level === 'error' ? 'error' : 'debug', message),
      ),
    });
  } finally {
    // graphile-migrate keeps idle pools for 200 ms, and their 'error' handler calls process.exit(1): close them now
    // rather than leave connections that a later DROP DATABASE or server restart would turn into an exit.
    clearAllPools();
  }
};

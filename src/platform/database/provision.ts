import type { Config } from '../config.ts';
import type { AppLogger } from '../logger.ts';
import { displayedPath, embeddedDataDirectory } from './data-directory.ts';
import { runMigrations } from './migrate.ts';

export type ProvidedDatabase = {
  readonly url: string;
  /** True when we started an embedded Postgres for this process (development), false for DATABASE_URL. */
  readonly embedded: boolean;
  /** Where the data lives, for a person: "embedded Postgres on port 54329, data in .data/postgres". */
  readonly description: string;
  stop(): Promise<void>;
};

/** Where DATABASE_URL points, without its credentials: "Postgres at db.example.com:5432/kingdom (DATABASE_URL)". */
const describeUrl = (raw: string): string => {
  const url = new URL(raw);
  return `Postgres at ${url.hostname}:${url.port || 5432}${url.pathname} (DATABASE_URL)`;
};

/**
 * DATABASE_URL when set (and then we never start a Postgres of our own); otherwise the embedded development
 * Postgres (data-directory.ts says where its data lives), kept between runs. Either way the committed migrations are
 * applied.
 */
export const provideDatabase = async (config: Config, logger: AppLogger): Promise<ProvidedDatabase> => {
  if (config.DATABASE_URL) {
    await runMigrations(config.DATABASE_URL);
    return {
      url: config.DATABASE_URL,
      embedded: false,
      description: describeUrl(config.DATABASE_URL),
      stop: async () => undefined,
    };
  }
  const directory = embeddedDataDirectory(config.EMBEDDED_POSTGRES_DIR);
  if (directory.outsideCheckout) {
    logger.info(
      { dataDir: directory.path },
      "running as root in a folder the 'postgres' user cannot reach: the embedded Postgres keeps its data outside it",
    );
  }
  // Loaded only here: production always has DATABASE_URL and never touches the devDependency.
  const { startEmbeddedPostgres } = await import('./embedded-postgres.ts');
  const postgres = await startEmbeddedPostgres({
    dataDir: directory.path,
    port: config.EMBEDDED_POSTGRES_PORT,
    persistent: true,
    log: (line) => logger.debug({ postgres: line }, 'embedded postgres'),
  });
  try {
    const url = await postgres.ensureDatabase('kingdom');
    await runMigrations(url);
    const description = `embedded Postgres on port ${postgres.port}, data in ${displayedPath(postgres.dataDir)}`;
    logger.debug({ port: postgres.port, dataDir: postgres.dataDir }, `DATABASE_URL is unset: using the ${description}`);
    return { url, embedded: true, description, stop: () => postgres.stop() };
  } catch (error) {
    await postgres.stop();
    throw error;
  }
};

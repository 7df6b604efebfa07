/**
 * `node scripts/db.ts <graphile-migrate args...>`, e.g. `migrate`, `reset --erase`, `commit --message x`,
 * `watch`, `status`; and `node scripts/db.ts seed` (`npm run db:seed`), which fills the database with the
 * development data set (src/seed.ts) through the bus, idempotently.
 *
 * With DATABASE_URL set, this is the graphile-migrate CLI with the environment passed through. Without it, the
 * persistent embedded Postgres of `npm start`/`npm run dev` (data where src/platform/database/data-directory.ts
 * says, port EMBEDDED_POSTGRES_PORT or 54329) is started (or shared, if the dev server is running it), databases `kingdom` and `kingdom_shadow` are
 * ensured, DATABASE_URL / SHADOW_DATABASE_URL / ROOT_DATABASE_URL are set for the CLI, and Postgres is stopped
 * when the CLI exits. Exits with the CLI's exit code.
 *
 * `scripts/dev.ts` imports `openDevelopmentDatabase` from here, so `npm run dev` and `npm run db:*` always agree on
 * which database they use.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { displayedPath, embeddedPostgresSettings } from '../src/platform/database/data-directory.ts';
import { startEmbeddedPostgres } from '../src/platform/database/embedded-postgres.ts';
import { repositoryRoot } from '../src/platform/repository-root.ts';

export type DevelopmentDatabase = {
  /** The application database. */
  readonly url: string;
  /** What graphile-migrate reads: DATABASE_URL, and for the embedded Postgres SHADOW_/ROOT_DATABASE_URL too. */
  readonly environment: Readonly<Record<string, string>>;
  /** True when this database is the embedded development Postgres (started here or shared with another process). */
  readonly embedded: boolean;
  /** One line for the log: where the database is. */
  readonly description: string;
  /** Stops the embedded Postgres if we started it (a shared one, or DATABASE_URL's server, is left running). */
  stop(): Promise<void>;
};

/**
 * DATABASE_URL when set; otherwise the embedded development Postgres (EMBEDDED_POSTGRES_DIR/_PORT), started or
 * shared, with the `kingdom` and `kingdom_shadow` databases ensured.
 */
export const openDevelopmentDatabase = async (
  env: NodeJS.ProcessEnv = process.env,
  log?: (line: string) => void,
): Promise<DevelopmentDatabase> => {
  if (env.DATABASE_URL) {
    return {
      url: env.DATABASE_URL,
      environment: { DATABASE_URL: env.DATABASE_URL },
      embedded: false,
      description: 'the database of DATABASE_URL (no embedded Postgres)',
      stop: async () => undefined,
    };
  }
  const defaults = embeddedPostgresSettings(env);
  const startedAt = performance.now();
  const postgres = await startEmbeddedPostgres({
    dataDir: defaults.dataDirectory.path,
    port: defaults.port,
    persistent: true,
    ...(log ? { log } : {}),
  });
  try {
    const [url, shadowUrl] = await Promise.all([
      postgres.ensureDatabase(defaults.database),
      postgres.ensureDatabase(defaults.shadowDatabase),
    ]);
    const how = postgres.shared
      ? 'shared with a running process'
      : `started in ${Math.round(performance.now() - startedAt)} ms`;
    return {
      url,
      environment: {
        DATABASE_URL: url,
        SHADOW_DATABASE_URL: shadowUrl,
        ROOT_DATABASE_URL: postgres.adminUrl('postgres'),
      },
      embedded: true,
      description: `embedded Postgres on port ${postgres.port} (${how}, data in ${displayedPath(postgres.dataDir)})`,
      stop: () => postgres.stop(),
    };
  } catch (error) {
    await postgres.stop();
    throw error;
  }
};

const cli = path.join(repositoryRoot, 'node_modules', '.bin', 'graphile-migrate');

const runCli = (args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> =>
  new Promise((resolve, reject) => {
    const child = spawn(cli, args, { cwd: repositoryRoot, env, stdio: 'inherit' });
    child.on('error', reject);
    // A terminal's Ctrl-C reaches the CLI too (same process group); forward signals sent to us alone.
    const forward = (signal: NodeJS.Signals) => (): void => {
      child.kill(signal);
    };
    const onSigint = forward('SIGINT');
    const onSigterm = forward('SIGTERM');
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigterm);
    child.on('exit', (code, signal) => {
      process.removeListener('SIGINT', onSigint);
      process.removeListener('SIGTERM', onSigterm);
      resolve(code ?? (signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 1));
    });
  });

/** `db:seed`: migrate, then seed through the API's composition root; prints the accounts to sign in with. */
const seedCommand = async (database: DevelopmentDatabase): Promise<number> => {
  // Loaded only for this command: the migrate CLI needs none of the application.
  const { loadConfig } = await import('../src/platform/config.ts');
  const { createLogger } = await import('../src/platform/logger.ts');
  const { runMigrations } = await import('../src/platform/database/migrate.ts');
  const { runSeed } = await import('../src/seed/seed.ts');
  // The server's own lines (administrator, workers) are noise here unless asked for; our summary is on stdout.
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env, DATABASE_URL: database.url });
  await runMigrations(database.url);
  const report = await runSeed({ config, logger: createLogger(config), databaseUrl: database.url });
  const { roles, users, batches, orderLines } = report.added;
  console.log(
    `[seed] done: added ${roles} roles, ${users} accounts, ${batches} batches, ${orderLines} order lines` +
      (report.outOfStockAttempted
        ? ', and one order line that found no stock (OUT_OF_STOCK, the warehouse is mailed)'
        : ''),
  );
  console.log(`[seed] accounts${config.isDevelopment ? ' (development passwords)' : ''}:`);
  for (const account of report.accounts) {
    const password = config.isDevelopment
      ? (account.password ?? '(configured: KINGDOM_ADMIN_PASSWORD)')
      : '(not shown)';
    console.log(`  ${account.email.padEnd(32)} ${password.padEnd(20)} ${account.role}`);
  }
  return 0;
};

const main = async (args: readonly string[]): Promise<number> => {
  if (args[0] === 'seed' && process.env.NODE_ENV === 'production') {
    console.error('[seed] refusing to seed with NODE_ENV=production: the seeded accounts have published passwords');
    return 1;
  }
  if (args[0] !== 'seed' && process.env.DATABASE_URL) return runCli(args, process.env);

  // A signal before the command runs: finish starting, then stop what we started and leave.
  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const database = await openDevelopmentDatabase();
  try {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    if (interrupted) return 130;
    if (database.embedded) console.error(`[db] ${database.description}`);
    if (args[0] === 'seed') return await seedCommand(database);
    return await runCli(args, { ...process.env, ...database.environment });
  } finally {
    await database.stop();
  }
};

if (import.meta.main) {
  // Exit explicitly: the embedded-postgres child process and any stray handle must not decide the exit code.
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}

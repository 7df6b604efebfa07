/**
 * `node scripts/db.ts <graphile-migrate args...>`, e.g. `migrate`, `reset --erase`, `commit --message x`,
 * `watch`, `status`.
 *
 * With DATABASE_URL set, this is the graphile-migrate CLI with the environment passed through. Without it, the
 * persistent embedded Postgres of `npm start`/`npm run dev` (`.data/postgres`, port EMBEDDED_POSTGRES_PORT or
 * 54329) is started (or shared, if the dev server is running it), databases `kingdom` and `kingdom_shadow` are
 * ensured, DATABASE_URL / SHADOW_DATABASE_URL / ROOT_DATABASE_URL are set for the CLI, and Postgres is stopped
 * when the CLI exits. Exits with the CLI's exit code.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import {
  embeddedPostgresDefaults,
  repositoryRoot,
  startEmbeddedPostgres,
} from '../src/platform/database/embedded-postgres.ts';

const cli = path.join(repositoryRoot, 'node_modules', '.bin', 'graphile-migrate');
const args = process.argv.slice(2);

const runCli = (env: NodeJS.ProcessEnv): Promise<number> =>
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

const main = async (): Promise<number> => {
  if (process.env.DATABASE_URL) return runCli(process.env);

  const defaults = embeddedPostgresDefaults();
  const startedAt = performance.now();
  // A signal before the CLI runs: finish starting, then stop what we started and leave.
  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const postgres = await startEmbeddedPostgres({ dataDir: defaults.dataDir, port: defaults.port, persistent: true });
  try {
    const [databaseUrl, shadowDatabaseUrl] = await Promise.all([
      postgres.ensureDatabase(defaults.database),
      postgres.ensureDatabase(defaults.shadowDatabase),
    ]);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    if (interrupted) return 130;
    const how = postgres.shared
      ? 'shared with a running process'
      : `started in ${Math.round(performance.now() - startedAt)} ms`;
    const dataDir = path.relative(repositoryRoot, defaults.dataDir);
    console.error(`[db] embedded Postgres on port ${postgres.port} (${how}, data in ${dataDir})`);
    return await runCli({
      ...process.env,
      DATABASE_URL: databaseUrl,
      SHADOW_DATABASE_URL: shadowDatabaseUrl,
      ROOT_DATABASE_URL: postgres.adminUrl('postgres'),
    });
  } finally {
    await postgres.stop();
  }
};

// Exit explicitly: the embedded-postgres child process and any stray handle must not decide the exit code.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

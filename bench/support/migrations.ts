/**
 * The benchmark measures the working tree: the committed migrations (as the server applies them at start-up), then
 * migrations/current.sql as `npm run db:watch` applies it, so schema work not yet committed is measured too.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Logger, watch } from 'graphile-migrate';
import { clearAllPools } from 'graphile-migrate/dist/pgReal.js';
import { migrationSettings, runMigrations } from '../../src/platform/database/migrate.ts';

export const migrateWorkingTree = async (url: string): Promise<{ readonly current: boolean }> => {
  await runMigrations(url);
  const settings = await migrationSettings();
  const current = await readFile(path.join(settings.migrationsFolder ?? 'migrations', 'current.sql'), 'utf8');
  if (current.replace(/--.*$/gm, '').trim() === '') return { current: false };
  try {
    await watch({ ...settings, connectionString: url, logger: new Logger(() => () => undefined) }, true);
  } finally {
    // graphile-migrate's idle pools exit the process on a later error: close them now (as runMigrations does).
    clearAllPools();
  }
  return { current: true };
};

/**
 * A throwaway copy of the repository, for tests that run the development scripts (`npm run dev`, `npm run db:*`,
 * `npm run build`) and must edit or generate files (the SDL, current.sql, committed migrations, dist/) without
 * touching the real checkout. node_modules is a symlink to the real one.
 */
import { chmod, cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repositoryRoot } from '../../../src/platform/repository-root.ts';

/** What the development scripts need of a checkout. */
const COPIED = [
  'src',
  'schema',
  'migrations',
  'scripts',
  'package.json',
  'codegen.yml',
  '.gmrc',
  'tsconfig.json',
  'tsconfig.build.json',
];

export type RepositoryCopy = { readonly root: string; remove(): Promise<void> };

/**
 * `private`: leave the folder as `mktemp -d` makes it (0700), as a newcomer's fresh clone in a private folder is; as
 * root, the 'postgres' user that runs embedded Postgres cannot reach into it. Otherwise it is opened (0755), for
 * tests that keep a data folder in the copy.
 */
export const copyRepository = async (
  prefix: string,
  options: { readonly private?: boolean } = {},
): Promise<RepositoryCopy> => {
  const root = await mkdtemp(join(tmpdir(), prefix));
  if (!options.private) await chmod(root, 0o755);
  await Promise.all(COPIED.map((entry) => cp(join(repositoryRoot, entry), join(root, entry), { recursive: true })));
  await symlink(join(repositoryRoot, 'node_modules'), join(root, 'node_modules'));
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
};

/** A developer's shell: jest sets NODE_ENV=test, and no database of the test run may leak in. */
export const developerEnvironment = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const {
    DATABASE_URL: _url,
    TEST_DATABASE_URL: _test,
    NODE_ENV: _env,
    KINGDOM_TEST_ADMIN_URL: _admin,
    ...inherited
  } = process.env;
  return { ...inherited, ...extra };
};

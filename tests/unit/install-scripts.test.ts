/**
 * `npm install` on a fresh clone prints nothing to wonder about: npm blocks dependencies' install scripts unless
 * package.json `allowScripts` decides them, and lists every undecided one at the end of each install. Every
 * package of the lock file that has an install script is approved (true) or denied (false) here, each for a reason
 * (README "Scripts"). CI installs with `--strict-allow-scripts`, which fails on an undecided one.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');
const read = (file: string) => JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as Record<string, unknown>;

test('every dependency with an install script is approved or denied in allowScripts', () => {
  const lock = read('package-lock.json') as { packages: Record<string, { hasInstallScript?: boolean }> };
  const allowScripts = (read('package.json').allowScripts ?? {}) as Record<string, boolean>;
  const decided = new Set(Object.keys(allowScripts).map((entry) => entry.replace(/(.)@.*$/, '$1')));
  const withScripts = Object.entries(lock.packages)
    .filter(([path, entry]) => path !== '' && entry.hasInstallScript)
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));

  expect(withScripts.length).toBeGreaterThan(0);
  expect(withScripts.filter((name) => !decided.has(name))).toEqual([]);
});

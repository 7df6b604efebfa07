import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Postgres refuses to run as root, so as root embedded Postgres runs as an unprivileged `postgres` user, who must be
 * able to pass through every directory above its binaries and its data. A checkout in a private directory
 * (`mktemp -d`, `/root`, many containers) is closed to that user.
 */
export const runsAsRoot = (): boolean => process.getuid?.() === 0;

/** Every directory from `directory` up to `/` lets other users through (the `x` bit for others). */
export const traversableByOthers = (directory: string): boolean => {
  for (let current = path.resolve(directory); ; current = path.dirname(current)) {
    if ((statSync(current).mode & 0o001) === 0) return false;
    if (path.dirname(current) === current) return true;
  }
};

/** The closest directory of `target` (itself included) that exists: what a folder yet to be created inherits. */
export const nearestExisting = (target: string): string => {
  let current = path.resolve(target);
  while (!existsSync(current)) current = path.dirname(current);
  return current;
};

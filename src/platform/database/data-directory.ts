/**
 * Where the embedded development Postgres keeps its cluster when DATABASE_URL is unset: `npm start`, `npm run dev`,
 * `npm run worker` and `npm run db:*` all ask here, so they always find the same cluster.
 *
 * EMBEDDED_POSTGRES_DIR, when set, is used as given (relative to the checkout). Otherwise `.data/postgres` in the
 * checkout, unless we run as root in a checkout the unprivileged `postgres` user cannot reach: then a folder of
 * this checkout's own under /var/tmp (kept across reboots, unlike /tmp), named after the checkout's path so that
 * every start of the same checkout finds the same data, and two checkouts never share one.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repositoryRoot } from '../repository-root.ts';
import { nearestExisting, runsAsRoot, traversableByOthers } from './unprivileged-access.ts';

export const DEFAULT_EMBEDDED_POSTGRES_DIR = path.join('.data', 'postgres');
export const DEFAULT_EMBEDDED_POSTGRES_PORT = 54_329;

export type EmbeddedDataDirectory = {
  readonly path: string;
  /** True when the default in the checkout was unreachable and the data lives outside it. */
  readonly outsideCheckout: boolean;
};

/** A parent every user may reach and write into (sticky, like /tmp), preferring one that survives reboots. */
const sharedParent = (): string =>
  ['/var/tmp', tmpdir()].find((candidate) => existsSync(candidate) && traversableByOthers(candidate)) ?? tmpdir();

export const embeddedDataDirectory = (
  configured: string | undefined,
  root: string = repositoryRoot,
  asRoot: boolean = runsAsRoot(),
): EmbeddedDataDirectory => {
  if (configured) return { path: path.resolve(root, configured), outsideCheckout: false };
  const inCheckout = path.join(root, DEFAULT_EMBEDDED_POSTGRES_DIR);
  const reachable =
    !asRoot || existsSync(path.join(inCheckout, 'PG_VERSION')) || traversableByOthers(nearestExisting(inCheckout));
  if (reachable) return { path: inCheckout, outsideCheckout: false };
  const id = createHash('sha256').update(root).digest('hex').slice(0, 12);
  return { path: path.join(sharedParent(), `kingdom-${path.basename(root)}-${id}`, 'postgres'), outsideCheckout: true };
};

/** The data directory for a person to read: relative inside the checkout, absolute outside it. */
export const displayedPath = (directory: string, root: string = repositoryRoot): string => {
  const relative = path.relative(root, directory);
  return relative.startsWith('..') || path.isAbsolute(relative) ? directory : relative;
};

/** The embedded cluster's settings from the environment, for the scripts that do not load the whole config. */
export const embeddedPostgresSettings = (env: NodeJS.ProcessEnv = process.env) => {
  const port = Number(env.EMBEDDED_POSTGRES_PORT || DEFAULT_EMBEDDED_POSTGRES_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new RangeError(`EMBEDDED_POSTGRES_PORT: must be a port number, got ${env.EMBEDDED_POSTGRES_PORT}`);
  }
  return {
    dataDirectory: embeddedDataDirectory(env.EMBEDDED_POSTGRES_DIR || undefined),
    port,
    database: 'kingdom',
    shadowDatabase: 'kingdom_shadow',
  };
};

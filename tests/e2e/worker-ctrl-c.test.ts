/**
 * `npm run worker` in development, with no DATABASE_URL: it starts the embedded Postgres itself. Ctrl-C in its
 * terminal signals the whole process group; Postgres must not hear it (it would cut the worker's connections
 * while its jobs finish): the worker stops taking jobs, lets the running ones end, stops Postgres itself, logs
 * nothing above info and exits 0, and the data stays.
 */
import { jest } from '@jest/globals';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/free-port.ts';
import { exitWithin, killLeftoverWorkers, spawnWorker } from './support/worker-process.ts';

jest.setTimeout(90_000);
afterEach(killLeftoverWorkers);

describe('`npm run worker` on its own embedded Postgres', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kingdom-worker-ctrl-c-'));
    // As root, embedded Postgres runs as a 'postgres' user, who must be able to reach the folder.
    await chmod(dataDir, 0o755);
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  test('Ctrl-C (SIGINT to the process group) stops the worker and its Postgres cleanly, exit 0', async () => {
    const pgDir = join(dataDir, 'pg');
    const worker = await spawnWorker(
      {
        NODE_ENV: 'development',
        LOG_FORMAT: 'json',
        EMBEDDED_POSTGRES_DIR: pgDir,
        EMBEDDED_POSTGRES_PORT: String(await freePort()),
      },
      60_000,
      { detached: true },
    );
    expect(existsSync(join(pgDir, 'postmaster.pid'))).toBe(true);

    process.kill(-worker.child.pid!, 'SIGINT');

    const code = await exitWithin(worker, 30_000);
    const aboveInfo = worker.logs.filter((line) => Number(line.level) > 30 || line.level === undefined);
    expect({ code, aboveInfo, stderr: worker.stderr }).toEqual({ code: 0, aboveInfo: [], stderr: [] });
    expect(worker.logs.at(-1)?.msg).toBe('stopped cleanly');
    expect(existsSync(join(pgDir, 'postmaster.pid'))).toBe(false);
    expect(existsSync(join(pgDir, 'PG_VERSION'))).toBe(true);
  });
});

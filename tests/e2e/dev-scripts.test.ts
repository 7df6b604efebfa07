/**
 * The scripts the docs tell developers to run, run as documented, in a throwaway copy of the repository (they write
 * migrations and dist/): the `npm run db:*` migration workflow on the embedded Postgres (docs/how-to/
 * write-a-migration.md), and `npm run build` with the compiled server it produces (README "Build and deploy",
 * docs/how-to/deploy.md).
 */
import { jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { createDatabasePool } from '../../src/platform/database/pool.ts';
import { freePort } from '../support/free-port.ts';
import { SERVING } from './support/process.ts';
import { ownCluster, type ClusterOwner } from './support/cluster-owner.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { copyRepository, developerEnvironment, type RepositoryCopy } from './support/repository-copy.ts';
import { eventually } from './support/worker-process.ts';

jest.setTimeout(180_000);

let copy: RepositoryCopy;
beforeAll(async () => {
  copy = await copyRepository('kingdom-scripts-');
});
afterAll(() => copy.remove());

type Run = { readonly code: number | null; readonly output: string };

/** Runs a command in the copy to its end, stdout and stderr together. */
const run = async (command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Run> => {
  const child = spawn(command, args, { cwd: copy.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, output };
};

describe('the `npm run db:*` scripts on the embedded Postgres', () => {
  let pgDir: string;
  let environment: NodeJS.ProcessEnv;
  let postgres: ClusterOwner | undefined;
  let pool: DatabasePool | undefined;
  /** `npm run db:<script>` is `node scripts/db.ts <graphile-migrate command>` (package.json). */
  const db = (...args: string[]) => run(process.execPath, ['scripts/db.ts', ...args], environment);
  const current = join('migrations', 'current.sql');
  const committedFiles = async () => (await readdir(join(copy.root, 'migrations', 'committed'))).sort();

  beforeAll(async () => {
    // Start from nothing in progress, whatever this checkout's current.sql holds: the steps below write their own.
    await writeFile(join(copy.root, current), '-- Enter migration here\n');
    pgDir = join(copy.root, 'pg');
    const port = await freePort();
    environment = developerEnvironment({ EMBEDDED_POSTGRES_DIR: pgDir, EMBEDDED_POSTGRES_PORT: String(port) });
    // As `npm run dev` would: this process owns the cluster, and every db:* command shares it while it runs.
    postgres = await ownCluster(pgDir, port);
  });
  afterAll(async () => {
    await pool?.end();
    await postgres?.stop();
  });

  const tableExists = async (name: string): Promise<boolean> => {
    pool ??= await createDatabasePool(postgres!.adminUrl('kingdom'), { maxPoolSize: 1 });
    return pool.oneFirst(
      sql.type(z.object({ exists: z.boolean() }))`SELECT to_regclass(${name}) IS NOT NULL AS "exists"`,
    );
  };

  test('status, migrate, watch, commit, uncommit and reset work as docs/how-to/write-a-migration.md says', async () => {
    const before = await committedFiles();

    // db:status on a new database: every committed migration pending (exit code 1).
    const fresh = await db('status');
    expect(fresh.code).toBe(1);
    expect(fresh.output).toContain(`There are ${before.length} committed migrations pending`);
    expect(fresh.output).toContain('(shared with a running process');

    // db:migrate, then db:status: up to date.
    expect((await db('migrate')).code).toBe(0);
    const upToDate = await db('status');
    expect({ code: upToDate.code, upToDate: upToDate.output.includes('Up to date.') }).toEqual({
      code: 0,
      upToDate: true,
    });

    // db:watch -- --once applies current.sql; db:status then reports it uncommitted (exit code 2).
    await writeFile(join(copy.root, current), 'create table if not exists scripts_probe (id int);\n');
    expect((await db('watch', '--once')).code).toBe(0);
    expect(await tableExists('public.scripts_probe')).toBe(true);
    expect((await db('status')).code).toBe(2);

    // db:watch (long-running) applies it on start and keeps watching until stopped.
    const watch = spawn(process.execPath, ['scripts/db.ts', 'watch'], {
      cwd: copy.root,
      env: environment,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const watchLines: string[] = [];
    createInterface({ input: watch.stdout }).on('line', (line) => watchLines.push(line));
    createInterface({ input: watch.stderr }).on('line', (line) => watchLines.push(line));
    const watchExited = once(watch, 'exit');
    await eventually(
      async () => watchLines.find((line) => /current\.sql unchanged|Finished/.test(line)),
      `db:watch to run current.sql:\n${watchLines.join('\n')}`,
      30_000,
    );
    watch.kill('SIGTERM');
    await watchExited;

    // db:commit -- --message moves it to committed/ (checked on the shadow database first) and empties current.sql.
    const committed = await db('commit', '--message', 'scripts-probe');
    expect(committed.code).toBe(0);
    const after = await committedFiles();
    const added = after.filter((file) => !before.includes(file));
    expect(added).toEqual([`${String(before.length + 1).padStart(6, '0')}-scripts-probe.sql`]);
    expect(await readFile(join(copy.root, 'migrations', 'committed', added[0]!), 'utf8')).toContain('scripts_probe');
    expect((await readFile(join(copy.root, current), 'utf8')).trim()).toBe('-- Enter migration here');
    expect((await db('status')).code).toBe(0);

    // `node scripts/db.ts uncommit` takes it back into current.sql.
    expect((await db('uncommit')).code).toBe(0);
    expect(await committedFiles()).toEqual(before);
    expect(await readFile(join(copy.root, current), 'utf8')).toContain('scripts_probe');

    // db:reset -- --erase rebuilds the database from the committed migrations only.
    await pool?.end();
    pool = undefined;
    expect((await db('reset', '--erase')).code).toBe(0);
    expect(await tableExists('public.scripts_probe')).toBe(false);
    expect(await tableExists('public.products')).toBe(true);
  });

  test('without a running Postgres, a db:* script starts the embedded one, and stops it when done', async () => {
    await pool?.end();
    pool = undefined;
    await postgres?.stop();
    postgres = undefined;
    await writeFile(join(copy.root, current), '-- Enter migration here\n');

    const status = await db('status');
    expect(status.code).toBe(0);
    expect(status.output).toMatch(/\[db\] embedded Postgres on port \d+ \(started in \d+ ms, data in pg\)/);
    expect(existsSync(join(pgDir, 'postmaster.pid'))).toBe(false);
  });
});

describe('`npm run build`', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  test('compiles src/ to dist/, and `node dist/main.js` serves in production, with its trusted documents enforced, and stops on SIGTERM', async () => {
    const build = await run('npm', ['run', 'build'], developerEnvironment());
    expect(build).toMatchObject({ code: 0 });
    expect(existsSync(join(copy.root, 'dist', 'main.js'))).toBe(true);
    expect(existsSync(join(copy.root, 'dist', 'worker.js'))).toBe(true);

    // The Lambda entry loads nothing at import: importing it needs no configuration at all.
    const lambda = await run(
      process.execPath,
      ['--input-type=module', '-e', "const m = await import('./dist/lambda.js'); console.log(typeof m.handler);"],
      developerEnvironment(),
    );
    expect(lambda).toEqual({ code: 0, output: 'function\n' });

    const server = spawn(process.execPath, ['dist/main.js'], {
      cwd: copy.root,
      env: developerEnvironment({
        NODE_ENV: 'production',
        DATABASE_URL: database.url,
        JWT_SECRET: 'build-test-secret-'.padEnd(48, 'x'),
        CURSOR_SECRET: 'build-test-cursor-secret-'.padEnd(48, 'x'),
        PUBLIC_URL: 'https://kingdom.example.com',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        TRUSTED_DOCUMENTS: 'enforce',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = once(server, 'exit');
    const lines: string[] = [];
    createInterface({ input: server.stderr }).on('line', (line) => lines.push(line));
    createInterface({ input: server.stdout }).on('line', (line) => lines.push(line));
    try {
      const url = await eventually(
        async () => lines.map((line) => SERVING.exec(line)?.[1]).find(Boolean),
        `dist/main.js to serve:\n${lines.join('\n')}`,
        30_000,
      );
      const health = await fetch(new URL('/healthz', url));
      expect(health.status).toBe(200);
      // The manifest is found beside dist/: its operations run by id, anything else is refused.
      const graphql = async (body: unknown) => {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return [response.status, await response.json()];
      };
      const manifest = JSON.parse(await readFile(join(copy.root, 'persisted-query-manifest.json'), 'utf8')) as {
        operations: Array<{ id: string; name: string }>;
      };
      const viewer = manifest.operations.find((operation) => operation.name === 'Viewer')!;
      expect(await graphql({ extensions: { persistedQuery: { version: 1, sha256Hash: viewer.id } } })).toEqual([
        200,
        { data: { viewer: null } },
      ]);
      expect(await graphql({ query: '{ __typename }' })).toEqual([
        400,
        { errors: [{ message: expect.any(String), extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' } }] },
      ]);
    } finally {
      server.kill('SIGTERM');
    }
    expect((await exited)[0]).toBe(0);
  });
});

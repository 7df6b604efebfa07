/**
 * The requests the multi-instance tests send through the load balancer, and what they check afterwards in the
 * database itself: every write a client was told succeeded is there, every out-of-stock order was mailed exactly
 * once, and the job queue drains with nothing failed for good.
 */
import { createPool, sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import type { Answer, Balancer } from './balancer.ts';
import { startLoad, stepsPass } from './load.ts';
import { eventually } from './worker-process.ts';

type Send = Balancer['graphql'];
type Headers = Record<string, string>;

export type LoadRun = {
  /** Resolves once the users have completed `steps` more steps. */
  passes(steps: number): Promise<void>;
  stop(): Promise<LoadResult>;
};

export type LoadResult = {
  readonly failures: readonly string[];
  /** Answers with a tolerated error code (their outcome is unknown to the client). */
  readonly tolerated: number;
  readonly slowestMs: number;
  readonly answeredBy: ReadonlySet<string>;
  /** Order ids the server said it allocated, and those it said found no stock. */
  readonly allocated: readonly string[];
  readonly outOfStock: readonly string[];
};

export type Workload = {
  readonly admin: Headers;
  signUp(email: string, password: string, send: Send): Promise<{ userId: string; refreshToken: string }>;
  /** A new account holding only a role that may read every product. */
  accountWithOnlyRole(email: string, password: string, send: Send): Promise<{ userId: string; headers: Headers }>;
  revokeRole(userId: string, send: Send): Promise<void>;
  /** Orders that find no stock (each starts a notifyOutOfStock job); their ids. */
  outOfStockOrders(count: number): Promise<string[]>;
  /**
   * Jobs for `count` out-of-stock orders, enqueued in one statement as the outbox would have (a backlog the workers
   * are still working through a moment later); their order ids.
   */
  enqueueBacklog(count: number): Promise<string[]>;
  /** Waits until every order has its out-of-stock email; emails per order id. */
  emailsFor(orders: readonly string[], what: string): Promise<Map<string, number>>;
  start(options: { readonly users: number; readonly tolerate: readonly string[] }): LoadRun;
  verify(result: LoadResult): Promise<void>;
};

const ROLE = 'shelf-reader';
const ALLOCATE = 'mutation ($input: AllocateInput!) { allocate(input: $input) { batchReference } }';
const codeOf = (answer: Answer) => answer.body.errors?.[0]?.extensions?.code as string | undefined;
const ok = <T>(answer: Answer): T => {
  if (answer.body.errors || answer.status !== 200) {
    throw new Error(`${answer.origin} answered ${answer.status} ${JSON.stringify(answer.body.errors)}`);
  }
  return answer.body.data as T;
};

/** A pool per check: connections from before a Postgres restart are dead. */
const withDatabase = async <T>(url: string, run: (pool: DatabasePool) => Promise<T>): Promise<T> => {
  const pool = await createPool(url, { maximumPoolSize: 1 });
  pool.on('error', () => undefined);
  try {
    return await run(pool);
  } finally {
    await pool.end();
  }
};

const ORDER_IN_EMAIL = /^Order (\S+) asked/;

export const createWorkload = async (
  balancer: Balancer,
  databaseUrl: string,
  administrator: { readonly email: string; readonly password: string },
): Promise<Workload> => {
  const logIn = 'mutation ($input: LogInInput!) { logIn(input: $input) { accessToken } }';
  const token = ok<{ logIn: { accessToken: string } }>(await balancer.graphql(logIn, { input: administrator })).logIn;
  const admin = { authorization: `Bearer ${token.accessToken}` };
  const addBatch = async (reference: string, sku: string, quantity: number) =>
    ok(
      await balancer.graphql(
        'mutation ($input: AddBatchInput!) { addBatch(input: $input) { batch { reference } } }',
        { input: { reference, sku, quantity } },
        admin,
      ),
    );
  let runs = 0;
  let orders = 0;
  await addBatch('scarce-1', 'SCARCE', 1);

  const emailCounts = (ids: readonly string[]) =>
    withDatabase(databaseUrl, async (pool) => {
      const bodies = await pool.anyFirst(sql.type(z.object({ body: z.string() }))`SELECT body FROM sent_emails`);
      const counts = new Map(ids.map((id) => [id, 0]));
      const all = new Map<string, number>();
      for (const body of bodies) {
        const order = ORDER_IN_EMAIL.exec(body)?.[1];
        if (!order) continue;
        all.set(order, (all.get(order) ?? 0) + 1);
        if (counts.has(order)) counts.set(order, counts.get(order)! + 1);
      }
      return { counts, all };
    });

  const workload: Workload = {
    admin,
    signUp: async (email, password, send) => {
      const signUp = 'mutation ($input: SignUpInput!) { signUp(input: $input) { refreshToken user { id } } }';
      const answer = ok<{ signUp: { refreshToken: string; user: { id: string } } }>(
        await send(signUp, { input: { email, password, name: 'Pat' } }),
      ).signUp;
      return { userId: answer.user.id, refreshToken: answer.refreshToken };
    },
    accountWithOnlyRole: async (email, password, send) => {
      const created = await send(
        'mutation ($input: CreateRoleInput!) { createRole(input: $input) { role { name } } }',
        { input: { name: ROLE, policies: [{ resource: 'PRODUCT', actions: ['READ'], selectors: ['*'] }] } },
        admin,
      );
      if (codeOf(created) !== undefined && codeOf(created) !== 'BAD_USER_INPUT') ok(created);
      const { userId } = await workload.signUp(email, password, send);
      const role = (name: 'grantRole' | 'revokeRole', roleName: string) =>
        send(
          `mutation ($input: ${name === 'grantRole' ? 'Grant' : 'Revoke'}RoleInput!) { ${name}(input: $input) { role { name } } }`,
          { input: { userId, role: roleName } },
          admin,
        );
      ok(await role('grantRole', ROLE));
      ok(await role('revokeRole', 'member'));
      const signedIn = ok<{ logIn: { accessToken: string } }>(await send(logIn, { input: { email, password } })).logIn;
      return { userId, headers: { authorization: `Bearer ${signedIn.accessToken}` } };
    },
    revokeRole: async (userId, send) => {
      ok(
        await send(
          'mutation ($input: RevokeRoleInput!) { revokeRole(input: $input) { role { name } } }',
          { input: { userId, role: ROLE } },
          admin,
        ),
      );
    },
    outOfStockOrders: async (count) => {
      const ids = Array.from({ length: count }, () => `scarce-order-${(orders += 1)}`);
      for (const orderId of ids) {
        const answer = await balancer.graphql(ALLOCATE, { input: { orderId, sku: 'SCARCE', quantity: 5 } }, admin);
        if (codeOf(answer) !== 'OUT_OF_STOCK') throw new Error(`expected OUT_OF_STOCK: ${JSON.stringify(answer.body)}`);
      }
      return ids;
    },
    enqueueBacklog: async (count) => {
      const prefix = `backlog-${(runs += 1)}`;
      await withDatabase(databaseUrl, (pool) =>
        pool.query(sql.unsafe`
          SELECT graphile_worker.add_job('notifyOutOfStock', json_build_object(
            'id', gen_random_uuid(),
            'event', json_build_object('type', 'OutOfStock', 'sku', 'SCARCE', 'orderId', ${prefix} || '-' || n, 'quantity', 5),
            'occurredAt', now()))
          FROM generate_series(1, ${count}::int) AS n`),
      );
      return Array.from({ length: count }, (_, index) => `${prefix}-${index + 1}`);
    },
    emailsFor: async (ids, what) =>
      eventually(
        async () => {
          const { counts } = await emailCounts(ids);
          return [...counts.values()].every((count) => count > 0) ? counts : undefined;
        },
        what,
        30_000,
      ),
    start: ({ users, tolerate }) => {
      const run = (runs += 1);
      const allocated: string[] = [];
      const outOfStock: string[] = [];
      const answeredBy = new Set<string>();
      let tolerated = 0;
      let slowestMs = 0;
      const setUp = Promise.all(
        Array.from({ length: users }, (_, user) => addBatch(`load-${run}-${user}`, `LOAD-${run}-${user}`, 1_000_000)),
      );
      const send: Send = async (...request) => {
        const answer = await balancer.graphql(...request);
        answeredBy.add(answer.origin);
        slowestMs = Math.max(slowestMs, answer.ms);
        return answer;
      };
      const step = async (user: number, iteration: number): Promise<void> => {
        const orderId = `o-${run}-${user}-${iteration}`;
        const kind = iteration % 3;
        const answer =
          kind === 0
            ? await send('{ products(first: 3) { totalCount } }', {}, admin)
            : await send(
                ALLOCATE,
                { input: { orderId, sku: `LOAD-${run}-${user}`, quantity: kind === 1 ? 1 : 2_000_000 } },
                admin,
              );
        const code = codeOf(answer);
        if (code !== undefined && tolerate.includes(code)) return void (tolerated += 1);
        if (kind === 2 && code === 'OUT_OF_STOCK') return void outOfStock.push(orderId);
        const data = ok<{ allocate?: { batchReference: string } }>(answer);
        if (kind === 1 && data.allocate?.batchReference) allocated.push(orderId);
      };
      const started = setUp.then(() => startLoad(users, step));
      return {
        passes: async (steps) => stepsPass(await started, steps),
        stop: async () => {
          const report = await (await started).stop();
          return { failures: report.failures, tolerated, slowestMs, answeredBy, allocated, outOfStock };
        },
      };
    },
    verify: async (result) => {
      const stored = await withDatabase(databaseUrl, (pool) =>
        pool.anyFirst(sql.type(z.object({ order_id: z.string() }))`
          SELECT order_id FROM allocations WHERE order_id = ANY(${sql.array([...result.allocated], 'text')})`),
      );
      expect(new Set(stored)).toEqual(new Set(result.allocated));
      const counts = await workload.emailsFor(result.outOfStock, 'every acknowledged out-of-stock order to be mailed');
      expect([...counts.entries()].filter(([, count]) => count !== 1)).toEqual([]);
      const { all } = await emailCounts([]);
      expect([...all.entries()].filter(([, count]) => count > 1)).toEqual([]);
      // Every job ran to completion: none waiting, retrying, or failed for good.
      await eventually(
        () =>
          withDatabase(databaseUrl, async (pool) =>
            (await pool.oneFirst(
              sql.type(z.object({ count: z.number() }))`SELECT count(*)::int AS count FROM graphile_worker.jobs`,
            )) === 0
              ? true
              : undefined,
          ),
        'the job queue to drain',
        45_000,
      );
    },
  };
  return workload;
};

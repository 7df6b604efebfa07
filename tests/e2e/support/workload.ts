/**
 * The requests the multi-instance tests send through the load balancer: accounts and roles for the shared-state
 * proofs, and the load (reads, allocations, allocations that find no stock) whose acknowledged outcomes
 * stored-outcomes.ts then finds in the database.
 */
import type { Answer, Balancer } from './balancer.ts';
import { startLoad, stepsPass } from './load.ts';
import { emailsFor, enqueueBacklog, verifyOutcomes } from './stored-outcomes.ts';

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
    enqueueBacklog: (count) => enqueueBacklog(databaseUrl, `backlog-${(runs += 1)}`, count),
    emailsFor: (ids, what) => emailsFor(databaseUrl, ids, what),
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
    verify: (result) => verifyOutcomes(databaseUrl, result),
  };
  return workload;
};

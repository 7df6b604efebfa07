/**
 * The subscriptions group: `--subscribers` WebSockets (1,000 by default) on the one Kingdom server, each following
 * one product (`productChanged`), then one event at a time: an `allocate` of that product, committed, which every
 * subscriber must receive, read again for it. Measured per delivery: from the moment the mutation is sent to the
 * moment the subscriber's process reads the `next` message (the subscribers and the mutation share one process and
 * one clock, support/subscriber-worker.ts), and from the commit (when the commit's NOTIFY reached a LISTEN
 * connection of that process, as it reaches the server's); and the server's VmRSS before the sockets, with them
 * idle, and at its peak while events are delivered.
 *
 * Two scenarios, one after the other: every subscriber a different user (each delivery loads its caller's
 * permissions: the realistic case), and every subscriber the same user (one permission load per change for all:
 * what the fan-out itself costs).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { createJwtAccessTokens } from '../../src/identity/adapters/jwt-access-tokens.ts';
import type { SubscriptionResult } from '../report/types.ts';
import { progress, round } from '../support/cli.ts';
import { graphqlBody, queryOrThrow } from '../support/graphql-client.ts';
import type { Lifecycle } from '../support/lifecycle.ts';
import { memoryOf, watchMemory, type ChildServer } from '../support/processes.ts';
import { statistics } from '../support/stats.ts';
import type { EventOutcome, SubscriberReply, SubscriberRequest } from '../support/subscriber-protocol.ts';
import type { RunOptions } from './options.ts';

export const SUBSCRIPTION_QUERY =
  'subscription ProductChanged($sku: String!) { productChanged(sku: $sku) { sku version availableQuantity } }';
const ALLOCATE = 'mutation Allocate($input: AllocateInput!) { allocate(input: $input) { batchReference } }';
const ROLE = 'bench-subscriber';

type Answered = Extract<SubscriberReply, { ok: true }>;
type Worker = {
  readonly pid: number;
  ask(request: DistributiveOmit<SubscriberRequest, 'id'>): Promise<Answered>;
  stop(): Promise<void>;
};
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

const startWorker = async (): Promise<Worker> => {
  const child: ChildProcess = fork(path.join(import.meta.dirname, '..', 'support', 'subscriber-worker.ts'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the subscriber process exited during start-up (code ${code})`)));
  });
  let nextId = 0;
  const pending = new Map<number, (reply: SubscriberReply) => void>();
  child.on('message', (reply: SubscriberReply) => {
    pending.get(reply.id)?.(reply);
    pending.delete(reply.id);
  });
  return {
    pid: child.pid!,
    ask: (request) =>
      new Promise((resolve, reject) => {
        const id = ++nextId;
        pending.set(id, (reply) => (reply.ok ? resolve(reply) : reject(new Error(`subscribers: ${reply.error}`))));
        child.send({ ...request, id });
      }),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.disconnect();
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
};

/** `count` users holding a role that reads every product and batch, each with an access token the server accepts. */
const subscriberTokens = async (pool: DatabasePool, count: number, jwtSecret: string): Promise<string[]> => {
  const policies = JSON.stringify(
    ['PRODUCT', 'BATCH'].map((resource) => ({ resource, actions: ['READ'], selectors: ['*'] })),
  );
  await pool.query(sql.unsafe`
    INSERT INTO roles (name, policies) VALUES (${ROLE}, ${policies}::jsonb) ON CONFLICT (name) DO NOTHING`);
  const ids = await pool.anyFirst(sql.type(z.object({ id: z.string() }))`
    INSERT INTO users (id, email, name, password_hash)
    SELECT gen_random_uuid(), 'bench-subscriber-' || n || '-' || ${randomUUID()} || '@kingdom.local', 'Subscriber ' || n, 'none'
    FROM generate_series(1, ${count}) AS n
    RETURNING id`);
  await pool.query(sql.unsafe`
    INSERT INTO user_roles (user_id, role) SELECT id, ${ROLE} FROM users WHERE id = ANY(${sql.array(ids, 'uuid')})`);
  // The server's own token format and key (runner/servers.ts): what logIn would issue, without 1,000 argon2 checks.
  const tokens = createJwtAccessTokens({
    issuer: 'kingdom',
    audience: 'kingdom-api',
    accessTokenTtlSeconds: 7200,
    clockToleranceSeconds: 5,
    signing: { algorithm: 'HS256', keyId: 'k1', secret: jwtSecret },
    previousKeys: {},
  });
  // Each token names a live session of its user (the server checks that on every token, connection_init included).
  const sessions = ids.map((userId) => ({ userId, sessionId: randomUUID() }));
  await pool.query(sql.unsafe`
    INSERT INTO sessions (id, user_id, token_hash, expires_at, version, created_at)
    SELECT session_id, user_id, 'bench-' || session_id, now() + interval '1 day', 1, now()
    FROM unnest(${sql.array(
      sessions.map(({ sessionId }) => sessionId),
      'uuid',
    )}::uuid[], ${sql.array(
      sessions.map(({ userId }) => userId),
      'uuid',
    )}::uuid[]) AS s(session_id, user_id)`);
  return sessions.map((session) => tokens.issuer.issue(session).token);
};

const MiB = async (pid: number): Promise<number | null> => {
  const memory = await memoryOf(pid);
  return memory ? round(memory.rssKiB / 1024, 1) : null;
};

export type SubscriptionsContext = {
  readonly options: RunOptions;
  /** A database URL of the server's database, for the LISTEN connection that times commits. */
  readonly databaseUrl: string;
  readonly lifecycle: Lifecycle;
  readonly pool: DatabasePool;
  readonly server: ChildServer;
  readonly adminToken: string;
  readonly jwtSecret: string;
};

export const measureSubscriptions = async (context: SubscriptionsContext): Promise<SubscriptionResult[]> => {
  const { options, lifecycle, pool, server, adminToken } = context;
  const subscribers = options.subscribers;
  const worker = await startWorker();
  lifecycle.defer('the subscriber process', () => worker.stop());
  await worker.ask({ kind: 'listen', databaseUrl: context.databaseUrl, channel: 'kingdom_events' });
  const distinctTokens = await subscriberTokens(pool, subscribers, context.jwtSecret);
  const scenarios = [
    { key: 'subscriptions-users', title: `${subscribers} subscribers, each a different user`, tokens: distinctTokens },
    {
      key: 'subscriptions-one-user',
      title: `${subscribers} subscribers, all one user`,
      tokens: Array.from({ length: subscribers }, () => adminToken),
    },
  ];
  const results: SubscriptionResult[] = [];
  let orders = 0;
  for (const [index, scenario] of scenarios.entries()) {
    const sku = `SKU-SUBSCRIBED-${index + 1}`;
    await queryOrThrow(
      server.url,
      graphqlBody('mutation ($input: AddBatchInput!) { addBatch(input: $input) { batch { reference } } }', {
        input: { reference: `BATCH-SUBSCRIBED-${index + 1}`, sku, quantity: 10_000_000 },
      }),
      adminToken,
    );
    const rssBefore = await MiB(server.pid);
    const connecting = performance.now();
    await worker.ask({
      kind: 'connect',
      url: server.url,
      tokens: scenario.tokens,
      query: SUBSCRIPTION_QUERY,
      variables: { sku },
    });
    const connectSeconds = round((performance.now() - connecting) / 1000, 1);
    const fire = async (timeoutMs: number): Promise<EventOutcome> =>
      (
        await worker.ask({
          kind: 'event',
          url: server.url,
          token: adminToken,
          body: graphqlBody(ALLOCATE, { input: { orderId: `subscribed-${++orders}`, sku, quantity: 1 } }),
          timeoutMs,
        })
      ).event!;
    // Until every subscription has heard one change: the server follows them all.
    for (let attempt = 1; (await fire(3000)).missing > 0; attempt++) {
      if (attempt >= 10) throw new Error(`${scenario.title}: some subscriptions never heard a change`);
    }
    const rssIdle = await MiB(server.pid);
    progress(`${scenario.title}: connected in ${connectSeconds} s, server RSS ${rssBefore} -> ${rssIdle} MiB`);

    const memory = watchMemory({ server: server.pid }, 50);
    const events: EventOutcome[] = [];
    for (let event = 0; event < options.subscriptionEvents; event++) {
      events.push(await fire(10_000));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const peak = await memory.stop();
    await worker.ask({ kind: 'close' });
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const deliveries = statistics(events.flatMap((each) => each.deliveriesMs));
    const afterCommit = statistics(
      events.flatMap((each) => each.deliveriesMs.map((at) => at - (each.committedMs ?? Number.NaN))),
    );
    const errors: Record<string, number> = {};
    for (const each of events)
      for (const [code, count] of Object.entries(each.errors)) errors[code] = (errors[code] ?? 0) + count;
    const result: SubscriptionResult = {
      key: scenario.key,
      title: scenario.title,
      subscribers,
      users: new Set(scenario.tokens).size,
      events: events.length,
      connectSeconds,
      deliveries,
      afterCommit,
      answer: statistics(events.map((each) => each.answerMs)),
      lastDeliveryPerEvent: statistics(events.map((each) => Math.max(...each.deliveriesMs))),
      missing: events.reduce((sum, each) => sum + each.missing, 0),
      errors,
      rssMiB: { before: rssBefore, idle: rssIdle, peak: peak.server ?? null },
    };
    progress(
      `${scenario.title}: ${events.length} events, after the commit p50 ${afterCommit.medianMs} ms, p99 ` +
        `${afterCommit.p99Ms} ms (from sending the mutation p99 ${deliveries.p99Ms} ms), missing ${result.missing}, ` +
        `peak RSS ${result.rssMiB.peak} MiB`,
    );
    results.push(result);
  }
  return results;
};

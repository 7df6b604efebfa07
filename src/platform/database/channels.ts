/**
 * Postgres LISTEN/NOTIFY between the instances of Kingdom: a transaction announces a change with `notify` (delivered
 * to every listener when, and only if, it commits), and every process keeps one connection LISTENing to hear them.
 * What rides on it must survive a lost message: while the connection is down nothing is heard, so `lost` tells
 * every subscriber to stop trusting what it cached, and `restored` when it hears again.
 */
import pg from 'pg';
import { sql, type CommonQueryMethods } from 'slonik';
import type { Logger } from '../../core/ports.ts';
import { BARRIER_ACK_CHANNEL, BARRIER_CHANNEL, createBarrier, type BarrierConnection } from './channel-barrier.ts';

/** Sends `payload` on `channel` when the transaction of `connection` commits (at once outside a transaction). */
export const notify = async (connection: CommonQueryMethods, channel: string, payload: string): Promise<void> => {
  await connection.query(sql.unsafe`SELECT pg_notify(${channel}, ${payload})`);
};

export type Interruption = { lost(): void; restored(): void };

export type ChannelListener = {
  /** Calls `handle` with each payload sent on `channel`; returns what stops it. */
  on(channel: string, handle: (payload: string) => void): () => void;
  /** Told when the connection drops (notifications may have been missed) and when it listens again. */
  onInterruption(handlers: Interruption): () => void;
  /** False while reconnecting: whatever a notification would have invalidated cannot be trusted then. */
  isListening(): boolean;
  /**
   * Resolves true once every instance listening on this database has handled every notification committed before
   * the call (channel-barrier.ts); false when one has not answered within `timeoutMs` or this one is not listening.
   */
  waitUntilHeard(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
};

export type ChannelListenerOptions = {
  readonly connectionString: string;
  readonly logger: Logger;
  /** Waits between reconnection attempts, doubling from the first to the last (default 100 ms to 5 s). */
  readonly retryDelaysMs?: { readonly first: number; readonly max: number };
  /** How often the idle connection is checked, so a connection that died silently is noticed (default 5 s). */
  readonly heartbeatMs?: number;
};

export const LISTENER_APPLICATION_NAME = 'kingdom-listener';

type Query = (text: string, values?: unknown[]) => Promise<pg.QueryResult<Record<string, unknown>>>;

/**
 * The listener's statements (LISTENs, heartbeats, barrier answers) take turns on its one connection: pg warns about
 * a query sent while another runs (and pg 9 will refuse it), and they come from timers and handlers at any moment.
 */
const oneAtATime = (client: pg.Client): Query => {
  let previous: Promise<unknown> = Promise.resolve();
  return (text, values) => {
    const next = previous.then(() => client.query(text, values));
    previous = next.catch(() => undefined);
    return next;
  };
};

/** Channel names are identifiers in LISTEN; ours are fixed, but quote them like any identifier. */
const listenStatement = (channel: string): string => `LISTEN "${channel.replaceAll('"', '""')}"`;

export const startChannelListener = async (options: ChannelListenerOptions): Promise<ChannelListener> => {
  const { logger } = options;
  const delays = options.retryDelaysMs ?? { first: 100, max: 5000 };
  const barrier = createBarrier((error) => logger.warn({ err: error }, 'could not answer a barrier notification'));
  // Every instance answers barriers and hears the answers, whatever else it listens to.
  const handlers = new Map<string, Set<(payload: string) => void>>([
    [BARRIER_CHANNEL, new Set([(nonce: string) => connection && barrier.answer(nonce, connection)])],
    [BARRIER_ACK_CHANNEL, new Set([(payload: string) => barrier.heard(payload)])],
  ]);
  const interruptions = new Set<Interruption>();
  let client: pg.Client | null = null;
  /** `client`'s statements, one at a time; null while `client` is. */
  let query: Query | null = null;
  /** The same connection as the barrier uses it (with its backend's pid); null while `client` is. */
  let connection: BarrierConnection | null = null;
  let listening = false;
  let everListened = false;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;

  const tell = (event: keyof Interruption): void => {
    for (const handler of interruptions) {
      try {
        handler[event]();
      } catch (error) {
        logger.error({ err: error }, `a channel subscriber failed on "${event}"`);
      }
    }
  };

  const dropped = (reason: unknown): void => {
    const current = client;
    client = null;
    query = null;
    connection = null;
    clearInterval(heartbeat);
    void current?.end().catch(() => undefined);
    if (closed) return;
    if (listening) {
      listening = false;
      logger.warn({ err: reason }, 'lost the LISTEN connection to Postgres: reconnecting');
      tell('lost');
    }
    scheduleConnect(delays.first);
  };

  const connect = async (nextDelay: number): Promise<void> => {
    // Named, so an operator sees it in pg_stat_activity for what it is (one per instance, always idle).
    const candidate = new pg.Client({
      connectionString: options.connectionString,
      keepAlive: true,
      application_name: LISTENER_APPLICATION_NAME,
    });
    // Features share this one connection (kingdom_sessions, kingdom_events...): one's failing handler must not
    // keep the others from hearing, nor break the connection.
    candidate.on('notification', ({ channel, payload }) => {
      for (const handle of handlers.get(channel) ?? []) {
        try {
          handle(payload ?? '');
        } catch (error) {
          logger.error({ err: error, channel }, 'a channel subscriber failed on a notification');
        }
      }
    });
    candidate.on('error', (error) => (client === candidate ? dropped(error) : undefined));
    candidate.on('end', () => (client === candidate ? dropped(new Error('connection ended')) : undefined));
    const candidateQuery = oneAtATime(candidate);
    let pid: number;
    try {
      await candidate.connect();
      for (const channel of handlers.keys()) await candidateQuery(listenStatement(channel));
      pid = (await candidateQuery('SELECT pg_backend_pid() AS pid')).rows[0]!.pid as number;
    } catch (error) {
      void candidate.end().catch(() => undefined);
      if (closed) return;
      logger.debug({ err: error, retryInMs: nextDelay }, 'could not LISTEN on Postgres yet');
      scheduleConnect(Math.min(nextDelay * 2, delays.max));
      return;
    }
    if (closed) {
      await candidate.end().catch(() => undefined);
      return;
    }
    client = candidate;
    query = candidateQuery;
    connection = { query: candidateQuery, pid };
    listening = true;
    heartbeat = setInterval(() => {
      candidateQuery('SELECT 1').catch((error: unknown) => (client === candidate ? dropped(error) : undefined));
    }, options.heartbeatMs ?? 5000);
    heartbeat.unref();
    if (everListened) tell('restored');
    everListened = true;
  };

  const scheduleConnect = (delay: number): void => {
    clearTimeout(retry);
    retry = setTimeout(() => void connect(delay), delay);
    retry.unref();
  };

  await connect(delays.first);
  if (!listening) {
    // The first connection must work: a wrong URL is a configuration error, not something to retry forever.
    closed = true;
    clearTimeout(retry);
    throw new Error('could not LISTEN on Postgres');
  }

  return {
    on(channel, handle) {
      const known = handlers.get(channel);
      if (known) known.add(handle);
      else {
        handlers.set(channel, new Set([handle]));
        query?.(listenStatement(channel)).catch((error: unknown) => dropped(error));
      }
      return () => void handlers.get(channel)?.delete(handle);
    },
    onInterruption(handler) {
      interruptions.add(handler);
      return () => void interruptions.delete(handler);
    },
    isListening: () => listening,
    waitUntilHeard: async (timeoutMs = 2000) =>
      listening && connection !== null ? barrier.wait(connection, LISTENER_APPLICATION_NAME, timeoutMs) : false,
    async close() {
      closed = true;
      listening = false;
      clearTimeout(retry);
      clearInterval(heartbeat);
      const current = client;
      client = null;
      query = null;
      connection = null;
      await current?.end().catch(() => undefined);
    },
  };
};

/**
 * "Every instance has heard everything committed so far": a barrier over LISTEN/NOTIFY. Postgres delivers
 * notifications to each listener in commit order, across channels, so when an instance answers a barrier sent
 * after a change committed, it has handled that change's notification first. A change whose effect must be in
 * place everywhere before its caller is answered (a revoked role) waits for every instance's answer.
 *
 * Each instance's listening connection (channels.ts) answers `kingdom_barrier` notifications on
 * `kingdom_barrier_ack` with `<nonce>:<its backend pid>`; the waiting instance expects one answer from each
 * listening connection pg_stat_activity shows on the database (application_name `kingdom-listener`, which needs
 * every instance to connect as the same role, or one that may see the others' sessions).
 */
import { randomUUID } from 'node:crypto';

export const BARRIER_CHANNEL = 'kingdom_barrier';
export const BARRIER_ACK_CHANNEL = 'kingdom_barrier_ack';

/** What the barrier needs of the listening connection: a query on it, and its backend's pid. */
export type BarrierConnection = {
  query(text: string, values: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
  readonly pid: number;
};

export type Barrier = {
  /** Handles a `kingdom_barrier` notification: answers it from this instance. */
  answer(nonce: string, connection: BarrierConnection): void;
  /** Handles a `kingdom_barrier_ack` notification. */
  heard(payload: string): void;
  /** True once every listening instance has answered; false after `timeoutMs` without all answers. */
  wait(connection: BarrierConnection, listenerName: string, timeoutMs: number): Promise<boolean>;
};

export const createBarrier = (onError: (error: unknown) => void): Barrier => {
  const waiting = new Map<string, { readonly pending: Set<string>; readonly done: () => void }>();
  return {
    answer: (nonce, connection) => {
      connection.query('SELECT pg_notify($1, $2)', [BARRIER_ACK_CHANNEL, `${nonce}:${connection.pid}`]).catch(onError);
    },
    heard: (payload) => {
      const [nonce = '', pid = ''] = payload.split(':');
      const waiter = waiting.get(nonce);
      if (!waiter?.pending.delete(pid) || waiter.pending.size > 0) return;
      waiter.done();
    },
    wait: async (connection, listenerName, timeoutMs) => {
      const nonce = randomUUID();
      const { rows } = await connection.query(
        'SELECT pid::text AS pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
        [listenerName],
      );
      // None visible: the sessions of other roles are hidden from this one; nothing to wait for.
      if (rows.length === 0) return false;
      let timer: NodeJS.Timeout | undefined;
      const answered = new Promise<boolean>((resolve) => {
        waiting.set(nonce, { pending: new Set(rows.map((row) => String(row.pid))), done: () => resolve(true) });
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      try {
        await connection.query('SELECT pg_notify($1, $2)', [BARRIER_CHANNEL, nonce]);
        return await answered;
      } finally {
        clearTimeout(timer);
        waiting.delete(nonce);
      }
    },
  };
};

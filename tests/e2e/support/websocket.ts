/**
 * A bare graphql-transport-ws client over Node's global WebSocket, for tests that look at the protocol itself:
 * every message the server sends, and how it closes the socket (code and reason). Tests that only want the data
 * use graphql-ws's own client instead (what Apollo Client's GraphQLWsLink wraps).
 */
export type ServerMessage = {
  readonly type: string;
  readonly id?: string;
  readonly payload?: unknown;
};

export type Closed = { readonly code: number; readonly reason: string };

export type TestSocket = {
  /** Every message received so far, in order. */
  readonly received: ServerMessage[];
  send(message: object): void;
  /** The next message not yet taken that matches (or rejects after `ms`, listing what came). */
  take(match?: (message: ServerMessage) => boolean, ms?: number): Promise<ServerMessage>;
  /** Messages received and not taken yet, of subscription `id` (or all). */
  untaken(id?: string): ServerMessage[];
  /** Resolves when the server (or the client) closed the socket. */
  readonly closed: Promise<Closed>;
  close(code?: number): void;
};

/** The ws:// URL of an http:// GraphQL endpoint. */
export const websocketUrl = (httpUrl: string): string => httpUrl.replace(/^http/, 'ws');

export const openSocket = async (
  httpUrl: string,
  protocols: readonly string[] = ['graphql-transport-ws'],
): Promise<TestSocket> => {
  const socket = new WebSocket(websocketUrl(httpUrl), [...protocols]);
  const received: ServerMessage[] = [];
  const taken = new Set<ServerMessage>();
  const waiters = new Set<() => void>();
  socket.addEventListener('message', (event) => {
    received.push(JSON.parse(String(event.data)) as ServerMessage);
    for (const wake of waiters) wake();
  });
  const closed = new Promise<Closed>((resolve) =>
    socket.addEventListener('close', (event) => {
      resolve({ code: event.code, reason: event.reason });
      for (const wake of waiters) wake();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('the WebSocket did not open')), { once: true });
  });
  const take = (match: (message: ServerMessage) => boolean = () => true, ms = 5000): Promise<ServerMessage> =>
    new Promise((resolve, reject) => {
      const look = (): boolean => {
        const found = received.find((message) => !taken.has(message) && match(message));
        if (!found) return false;
        taken.add(found);
        resolve(found);
        return true;
      };
      if (look()) return;
      const wake = () => {
        if (!look()) return;
        waiters.delete(wake);
        clearTimeout(timer);
      };
      const timer = setTimeout(() => {
        waiters.delete(wake);
        reject(new Error(`no matching message within ${ms} ms; received ${JSON.stringify(received)}`));
      }, ms);
      waiters.add(wake);
    });
  return {
    received,
    send: (message) => socket.send(JSON.stringify(message)),
    take,
    untaken: (id) => received.filter((message) => !taken.has(message) && (id === undefined || message.id === id)),
    closed,
    close: (code = 1000) => socket.close(code),
  };
};

/** Opens a socket and sends connection_init with `payload`; resolves once acknowledged (or rejects with the close). */
export const connect = async (httpUrl: string, payload?: Record<string, unknown>): Promise<TestSocket> => {
  const socket = await openSocket(httpUrl);
  socket.send({ type: 'connection_init', ...(payload ? { payload } : {}) });
  const outcome = await Promise.race([
    socket.take((message) => message.type === 'connection_ack'),
    socket.closed.then((closed) => closed),
  ]);
  if ('code' in outcome) throw new Error(`closed before connection_ack: ${outcome.code} ${outcome.reason}`);
  return socket;
};

/** Starts a subscription; its messages then carry `id`. */
export const subscribe = (
  socket: TestSocket,
  id: string,
  query: string,
  variables?: Record<string, unknown>,
  extensions?: Record<string, unknown>,
): void => socket.send({ id, type: 'subscribe', payload: { query, variables, ...(extensions ? { extensions } : {}) } });

/** The next `next` of subscription `id`: its payload. */
export const nextOf = async (socket: TestSocket, id: string, ms?: number): Promise<Record<string, unknown>> =>
  (await socket.take((message) => message.id === id && message.type === 'next', ms)).payload as Record<string, unknown>;

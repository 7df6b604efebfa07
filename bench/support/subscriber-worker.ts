/**
 * The subscribers: a separate process (forked by runner/subscriptions.ts) holding every WebSocket, so that the
 * client's work never runs in the server's or the orchestrator's event loop. graphql-transport-ws spoken directly
 * over `ws` (the least client code between the socket and the clock). It exits when its parent goes away.
 */
import pg from 'pg';
import { WebSocket } from 'ws';
import type { EventOutcome, SubscriberReply, SubscriberRequest } from './subscriber-protocol.ts';

type Subscriber = { readonly socket: WebSocket; onNext: ((at: number, errors: string[]) => void) | null };
const subscribers: Subscriber[] = [];
/** Told when the next notification of the server's channel arrives (set during an event). */
let onNotification: ((at: number) => void) | null = null;
let listener: pg.Client | null = null;

const listen = async (request: Extract<SubscriberRequest, { kind: 'listen' }>): Promise<void> => {
  listener = new pg.Client({ connectionString: request.databaseUrl });
  await listener.connect();
  listener.on('notification', () => onNotification?.(performance.now()));
  await listener.query(`LISTEN "${request.channel}"`);
};

const reply = (message: SubscriberReply): void => void process.send?.(message);

/** Opens one socket, waits for connection_ack, subscribes. */
const open = (url: string, token: string, query: string, variables: Readonly<Record<string, unknown>>) =>
  new Promise<Subscriber>((resolve, reject) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const subscriber: Subscriber = { socket, onNext: null };
    socket.on('error', reject);
    socket.on('close', (code, reason) => reject(new Error(`closed before subscribing: ${code} ${String(reason)}`)));
    socket.on('open', () =>
      socket.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } })),
    );
    socket.on('message', (data: Buffer) => {
      const at = performance.now();
      const message = JSON.parse(data.toString('utf8')) as { type: string; payload?: unknown };
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
        resolve(subscriber);
        return;
      }
      if (message.type === 'next' || message.type === 'error') {
        const errors = ((message.type === 'error'
          ? message.payload
          : (message.payload as { errors?: unknown[] }).errors) ?? []) as Array<{ extensions?: { code?: string } }>;
        subscriber.onNext?.(
          at,
          errors.map((error) => error.extensions?.code ?? 'NO_CODE'),
        );
      }
    });
  });

const connect = async (request: Extract<SubscriberRequest, { kind: 'connect' }>): Promise<number> => {
  // A few at a time: a thousand handshakes at once would measure the accept queue, not the server.
  for (let start = 0; start < request.tokens.length; start += 50) {
    const batch = request.tokens.slice(start, start + 50);
    subscribers.push(
      ...(await Promise.all(batch.map((token) => open(request.url, token, request.query, request.variables)))),
    );
  }
  return subscribers.length;
};

const event = async (request: Extract<SubscriberRequest, { kind: 'event' }>): Promise<EventOutcome> => {
  const deliveriesMs: number[] = [];
  const errors: Record<string, number> = {};
  let remaining = subscribers.length;
  let done: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (done = resolve));
  let committedAt: number | null = null;
  onNotification = (at) => {
    committedAt ??= at;
    onNotification = null;
  };
  const sent = performance.now();
  for (const subscriber of subscribers) {
    subscriber.onNext = (at, codes) => {
      subscriber.onNext = null;
      deliveriesMs.push(at - sent);
      for (const code of codes) errors[code] = (errors[code] ?? 0) + 1;
      if (--remaining === 0) done();
    };
  }
  const answer = await fetch(request.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${request.token}` },
    body: request.body,
  });
  const answerMs = performance.now() - sent;
  const text = await answer.text();
  if (answer.status !== 200 || text.includes('"errors"')) throw new Error(`the event's mutation failed: ${text}`);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([all, new Promise((resolve) => (timer = setTimeout(resolve, request.timeoutMs)))]);
  clearTimeout(timer);
  for (const subscriber of subscribers) subscriber.onNext = null;
  onNotification = null;
  return {
    answerMs,
    committedMs: committedAt === null || !listener ? null : committedAt - sent,
    deliveriesMs,
    missing: remaining,
    errors,
  };
};

process.on('message', (request: SubscriberRequest) => {
  const handle = async (): Promise<SubscriberReply> => {
    switch (request.kind) {
      case 'connect':
        return { id: request.id, ok: true, connected: await connect(request) };
      case 'event':
        return { id: request.id, ok: true, event: await event(request) };
      case 'listen':
        await listen(request);
        return { id: request.id, ok: true };
      case 'close':
        for (const { socket } of subscribers.splice(0)) socket.terminate();
        return { id: request.id, ok: true };
    }
  };
  handle().then(reply, (error: unknown) =>
    reply({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
process.on('disconnect', () => void (listener?.end() ?? Promise.resolve()).finally(() => process.exit(0)));
reply({ id: 0, ok: true });

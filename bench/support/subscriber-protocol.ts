/** What the benchmark orchestrator and the subscriber process (subscriber-worker.ts) say to each other over IPC. */

export type SubscriberRequest =
  /** Open one WebSocket per token (graphql-transport-ws), each subscribing to `query` with `variables`. */
  | {
      readonly id: number;
      readonly kind: 'connect';
      readonly url: string;
      readonly tokens: readonly string[];
      readonly query: string;
      readonly variables: Readonly<Record<string, unknown>>;
    }
  /**
   * One event: POST `mutation` (as `token`), then wait for every open subscription's next message. Times are
   * measured in this process from just before the request is sent (`performance.now()`).
   */
  | {
      readonly id: number;
      readonly kind: 'event';
      readonly url: string;
      readonly token: string;
      readonly body: string;
      readonly timeoutMs: number;
    }
  /**
   * LISTEN on the channel the server hears committed changes on, with a connection of this process: when a
   * notification arrives here, the server's own listener has it too, so deliveries are also timed from then.
   */
  | { readonly id: number; readonly kind: 'listen'; readonly databaseUrl: string; readonly channel: string }
  /** Close every socket. */
  | { readonly id: number; readonly kind: 'close' };

export type EventOutcome = {
  /** When the mutation's answer arrived, ms after it was sent. */
  readonly answerMs: number;
  /** When the commit's notification arrived (LISTEN), ms after the mutation was sent; null without `listen`. */
  readonly committedMs: number | null;
  /** When each subscription received the change, ms after the mutation was sent (missing ones are not here). */
  readonly deliveriesMs: number[];
  /** Subscriptions that received nothing before the timeout. */
  readonly missing: number;
  /** Deliveries that carried errors, and `error` messages, by code. */
  readonly errors: Record<string, number>;
};

export type SubscriberReply =
  | { readonly id: number; readonly ok: true; readonly connected?: number; readonly event?: EventOutcome }
  | { readonly id: number; readonly ok: false; readonly error: string };

/**
 * Messages are plain readonly data. Commands are orders with exactly one handler (`AddBatch`);
 * events are facts in the past tense with zero or more handlers (`BatchAdded`).
 */
export type Command = { readonly type: string };
export type DomainEvent = { readonly type: string };

/**
 * An event on its way to a background task through the external bus (a job, or an SQS message). Delivery is at
 * least once, so every task records `id` with its effect and ignores a delivery it has seen.
 */
export type Envelope<Event extends DomainEvent = DomainEvent> = {
  /** Unique per event: the idempotency key of every task that handles it. */
  readonly id: string;
  readonly event: Event;
  /** ISO-8601, when the transaction that raised it ran. */
  readonly occurredAt: string;
  /**
   * With tracing on, the W3C trace context (traceparent, tracestate) of the span that enqueued it, so the span of
   * its run continues the trace of the request that caused it. Absent otherwise.
   */
  readonly traceContext?: Readonly<Record<string, string>>;
};

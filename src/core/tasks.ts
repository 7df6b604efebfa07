import type { DomainEvent, Envelope } from './messages.ts';

/**
 * Background tasks: event handlers that run outside the request, through the external bus (graphile-worker jobs
 * or SQS messages), each with its own retries. One job per (event, task), so a failing task never repeats the
 * others. A context declares them like its command handlers: `{ notifyOutOfStock: { on: 'OutOfStock', handle } }`.
 */
export type TaskDefinition<Event extends DomainEvent, Dependencies> = {
  /** The event type that starts the task. */
  readonly on: Event['type'];
  /** Must be idempotent: record `envelope.id` in the same transaction as the effect (deliveries repeat). */
  readonly handle: (envelope: Envelope<Event>, dependencies: Dependencies) => Promise<void>;
};

/** A task given its dependencies (fresh per delivery, like a command's), keyed by task name in `BoundTasks`. */
export type BoundTask = { readonly on: string; readonly run: (envelope: Envelope) => Promise<void> };
export type BoundTasks = Readonly<Record<string, BoundTask>>;

/**
 * Any task definition with these dependencies: `envelope: never` lets a task for one specific event satisfy it
 * (parameters are contravariant), as for command handlers.
 */
type AnyTaskDefinition<Dependencies> = {
  readonly on: string;
  readonly handle: (envelope: never, dependencies: Dependencies) => Promise<void>;
};

export const bindTasks = <Dependencies>(
  definitions: Readonly<Record<string, AnyTaskDefinition<Dependencies>>>,
  makeDependencies: () => Dependencies,
): BoundTasks =>
  Object.fromEntries(
    Object.entries(definitions).map(([name, definition]) => {
      // Safe: the outbox only ever enqueues a task for the event type it declared in `on`.
      const handle = definition.handle as (envelope: Envelope, dependencies: Dependencies) => Promise<void>;
      return [name, { on: definition.on, run: (envelope: Envelope) => handle(envelope, makeDependencies()) }];
    }),
  );

/** The task names each event type starts, in declaration order: what the outbox enqueues on commit. */
export const taskRoutes = (tasks: Readonly<Record<string, { readonly on: string }>>): ReadonlyMap<string, readonly string[]> => {
  const routes = new Map<string, string[]>();
  for (const [name, task] of Object.entries(tasks)) routes.set(task.on, [...(routes.get(task.on) ?? []), name]);
  return routes;
};

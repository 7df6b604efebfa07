import type { DomainEvent, Envelope } from './messages.ts';

/**
 * Background tasks: event handlers that run outside the request, through the external bus (graphile-worker jobs
 * or SQS messages), each with its own retries. One job per (event, task), so a failing task never repeats the
 * others. A context declares them like its command handlers: `{ notifyOutOfStock: { on: 'OutOfStock', handle } }`.
 */
export type TaskDefinition<Event extends DomainEvent, Dependencies> = {
  /** The event type that starts the task. */
  readonly on: Event['type'];
  /**
   * Only the events of that type this returns true for start it (default: all). Decided when the event commits,
   * so an event the task would ignore costs no job at all.
   */
  readonly when?: (event: Event) => boolean;
  /** Must be idempotent: record `envelope.id` in the same transaction as the effect (deliveries repeat). */
  readonly handle: (envelope: Envelope<Event>, dependencies: Dependencies) => Promise<void>;
};

/**
 * A task given its dependencies (fresh per delivery, like a command's), keyed by task name in `BoundTasks`. It keeps
 * its `on` and `when`, so the outbox can route committed events to it.
 */
export type BoundTask = {
  readonly on: string;
  readonly when?: (event: DomainEvent) => boolean;
  readonly run: (envelope: Envelope) => Promise<void>;
};
export type BoundTasks = Readonly<Record<string, BoundTask>>;

/**
 * Any task definition with these dependencies: `never` parameters let a task for one specific event satisfy it
 * (parameters are contravariant), as for command handlers.
 */
type AnyTaskDefinition<Dependencies> = {
  readonly on: string;
  readonly when?: (event: never) => boolean;
  readonly handle: (envelope: never, dependencies: Dependencies) => Promise<void>;
};

/**
 * `afterRun` sees each delivery's dependencies once its handler has finished (succeeded or not): a context whose
 * tasks commit events hands them to the in-process bus there, as the bus does for a command's.
 */
export const bindTasks = <Dependencies>(
  definitions: Readonly<Record<string, AnyTaskDefinition<Dependencies>>>,
  makeDependencies: () => Dependencies,
  afterRun?: (dependencies: Dependencies) => Promise<void>,
): BoundTasks =>
  Object.fromEntries(
    Object.entries(definitions).map(([name, definition]) => {
      // Safe: the outbox only ever enqueues a task for the event type it declared in `on`.
      const handle = definition.handle as (envelope: Envelope, dependencies: Dependencies) => Promise<void>;
      const run = async (envelope: Envelope) => {
        const dependencies = makeDependencies();
        try {
          await handle(envelope, dependencies);
        } finally {
          await afterRun?.(dependencies);
        }
      };
      // Safe: `when` is only ever asked about events of the type its task declared in `on`.
      const when = definition.when as ((event: DomainEvent) => boolean) | undefined;
      return [name, when ? { on: definition.on, when, run } : { on: definition.on, run }];
    }),
  );

/** Which tasks one committed event starts, in declaration order: what the outbox enqueues with it. */
export type TaskRouter = (event: DomainEvent) => readonly string[];

type TaskRoute = Pick<AnyTaskDefinition<never>, 'on' | 'when'>;

/** Routes by event type (a map built once), then asks each candidate's `when`. */
export const taskRoutes = (tasks: Readonly<Record<string, TaskRoute>>): TaskRouter => {
  const byType = new Map<string, Array<{ name: string; when?: (event: DomainEvent) => boolean }>>();
  for (const [name, task] of Object.entries(tasks)) {
    // Safe: `when` is only ever asked about events of the type its task declared in `on`.
    const when = task.when as ((event: DomainEvent) => boolean) | undefined;
    byType.set(task.on, [...(byType.get(task.on) ?? []), when ? { name, when } : { name }]);
  }
  return (event) => (byType.get(event.type) ?? []).filter(({ when }) => when?.(event) ?? true).map(({ name }) => name);
};

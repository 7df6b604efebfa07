import { UnknownMessageError } from './errors.ts';
import type { Command, DomainEvent } from './messages.ts';
import type { Logger } from './ports.ts';

/**
 * What handling one message produced: the handler's answer or its error, and in both cases the events committed on
 * the way (a handler may commit, e.g. a failed log-in attempt, and then refuse the caller).
 */
export type Outcome<Result> =
  | { readonly ok: true; readonly result: Result; readonly events: readonly DomainEvent[] }
  | { readonly ok: false; readonly error: unknown; readonly events: readonly DomainEvent[] };

/** A handler already given its dependencies (a fresh unit of work per call): what the bus runs. */
export type BoundHandler<Message, Result> = (message: Message) => Promise<Outcome<Result>>;

/** Anything that collects committed events, i.e. a unit of work. */
type EventSource = { collectNewEvents(): DomainEvent[] };

/**
 * Gives a plain `(message, deps)` handler its dependencies. `makeDependencies` runs once per message, so each
 * message gets its own unit of work: never shared between concurrent requests.
 */
export const bindHandler =
  <Message, Result, Dependencies extends { uow: EventSource }>(
    handler: (message: Message, dependencies: Dependencies) => Promise<Result>,
    makeDependencies: () => Dependencies,
  ): BoundHandler<Message, Result> =>
  async (message) => {
    const dependencies = makeDependencies();
    try {
      const result = await handler(message, dependencies);
      return { ok: true, result, events: dependencies.uow.collectNewEvents() };
    } catch (error) {
      return { ok: false, error, events: dependencies.uow.collectNewEvents() };
    }
  };

// `never` parameters let a map of handlers for specific commands satisfy the constraint (contravariance).
type AnyCommandHandler = (command: never) => Promise<Outcome<unknown>>;
export type CommandRoutes = Record<string, AnyCommandHandler>;
export type EventRoutes = Record<string, ReadonlyArray<BoundHandler<never, void>>>;

/** The union of commands a route table accepts, and the result type for one of them. */
export type CommandOf<Routes extends CommandRoutes> = Parameters<Routes[keyof Routes]>[0] & Command;
export type ResultOf<Routes extends CommandRoutes, C extends Command> = Extract<
  Awaited<ReturnType<Routes[C['type']]>>,
  { ok: true }
>['result'];

export type MessageBus<Routes extends CommandRoutes> = {
  /** Runs the command's one handler, then every event it raised (and theirs, in order); returns its result. */
  execute<C extends CommandOf<Routes>>(command: C): Promise<ResultOf<Routes, C>>;
  /** Handles events raised outside a command, e.g. by a worker task. */
  publish(events: readonly DomainEvent[]): Promise<void>;
};

/**
 * Runs one bound handler the way the bus does: its committed events are published whether or not the handler then
 * refused its caller (they are facts), and then its result is returned or its error thrown. A context uses it to
 * run one of its own commands outside a request (e.g. at start-up).
 */
export const runBound = async <Message, Result>(
  handler: BoundHandler<Message, Result>,
  message: Message,
  publish: (events: readonly DomainEvent[]) => Promise<void>,
): Promise<Result> => {
  const outcome = await handler(message);
  await publish(outcome.events);
  if (!outcome.ok) throw outcome.error;
  return outcome.result;
};

export const createMessageBus = <Routes extends CommandRoutes>(options: {
  commands: Routes;
  events: EventRoutes;
  logger: Logger;
}): MessageBus<Routes> => {
  const { commands, events: eventRoutes, logger } = options;

  /**
   * Events are handled one at a time in the order they were committed; events raised by an event handler join
   * the back of the queue. A failing event handler is logged with its event and skipped: the command that raised
   * the event has committed already and stays committed.
   */
  const publish = async (raised: readonly DomainEvent[]): Promise<void> => {
    const queue = [...raised];
    for (let event = queue.shift(); event; event = queue.shift()) {
      const subscribers = Object.hasOwn(eventRoutes, event.type) ? (eventRoutes[event.type] ?? []) : [];
      for (const handler of subscribers) {
        // bindHandler reports failures as outcomes; a hand-written bound handler may still reject.
        const outcome = await (handler as BoundHandler<DomainEvent, void>)(event).catch(
          (error: unknown): Outcome<void> => ({ ok: false, error, events: [] }),
        );
        queue.push(...outcome.events);
        if (!outcome.ok) {
          logger.error({ err: outcome.error, event }, 'event handler failed; the event is dropped for this handler');
        }
      }
    }
  };

  const execute = async <C extends CommandOf<Routes>>(command: C): Promise<ResultOf<Routes, C>> => {
    const { type } = command as Command;
    if (!Object.hasOwn(commands, type)) throw new UnknownMessageError(type);
    const handler = commands[type] as unknown as BoundHandler<C, ResultOf<Routes, C>>;
    return runBound(handler, command, publish);
  };

  return { execute, publish };
};

/** A context's plain handler map, e.g. `{ AddBatch: addBatch }`, all sharing one dependencies type. */
type HandlerMap<Dependencies> = Record<string, (message: never, dependencies: Dependencies) => Promise<unknown>>;

export type BoundRoutes<Handlers> = {
  [Type in keyof Handlers]: Handlers[Type] extends (
    message: infer Message,
    dependencies: never,
  ) => Promise<infer Result>
    ? BoundHandler<Message, Result>
    : never;
};

/** Binds every command handler of a context to that context's per-message dependencies. */
export const bindCommandHandlers = <
  Dependencies extends { uow: EventSource },
  Handlers extends HandlerMap<Dependencies>,
>(
  handlers: Handlers,
  makeDependencies: () => Dependencies,
): BoundRoutes<Handlers> =>
  Object.fromEntries(
    Object.entries(handlers).map(([type, handler]) => [type, bindHandler(handler, makeDependencies)]),
  ) as BoundRoutes<Handlers>;

/** Same for event handlers, where each event type has a list of subscribers. */
export const bindEventHandlers = <Dependencies extends { uow: EventSource }>(
  handlers: Record<string, ReadonlyArray<(event: never, dependencies: Dependencies) => Promise<void>>>,
  makeDependencies: () => Dependencies,
): EventRoutes =>
  Object.fromEntries(
    Object.entries(handlers).map(([type, subscribers]) => [
      type,
      subscribers.map((handler) => bindHandler(handler, makeDependencies)),
    ]),
  );

/** Merges route tables of several contexts; an event type may have subscribers in more than one. */
export const mergeEventRoutes = (...tables: readonly EventRoutes[]): EventRoutes => {
  // No prototype, so an event type named like an Object method ('toString') is just another key.
  const merged = Object.create(null) as Record<string, Array<BoundHandler<never, void>>>;
  for (const table of tables) {
    for (const [type, handlers] of Object.entries(table)) (merged[type] ??= []).push(...handlers);
  }
  return merged;
};

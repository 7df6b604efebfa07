/**
 * The composition root: the one place that chooses adapters and hands them to handlers, for every process (the
 * API, the worker, the Lambda handler, the seed) and every test. It maps over the list of contexts
 * (src/contexts.ts): each wires itself over the shell's infrastructure, and the bus, the job runner and the
 * request's views are assembled from what they bring. Production passes a pool and its configuration; tests pass
 * per-context overrides (`{ inventory: { unitOfWork, views } }`) and need no pool for what they fake.
 */
import { randomUUID } from 'node:crypto';
import type { DatabasePool } from 'slonik';
import { NO_PERMISSIONS, readEverything, type KeyFormat, type Permissions, type ReadScope } from './core/access.ts';
import { createMessageBus, mergeEventRoutes, type EventRoutes } from './core/bus.ts';
import type { DomainEvent } from './core/messages.ts';
import type { Clock, EmailSender, IdGenerator, Logger } from './core/ports.ts';
import { taskRoutes, type BoundTasks } from './core/tasks.ts';
import { contexts, type ContextOverrides, type KingdomBus, type KingdomViews } from './contexts.ts';
import { loadConfig, type Config } from './platform/config.ts';
import type { ContextModule, ContextShell, WiredContext } from './platform/context-module.ts';
import type { ChannelListener } from './platform/database/channels.ts';
import { createSlonikUnitOfWork, type Outbox } from './platform/database/unit-of-work.ts';
import { createSmtpEmailSender } from './platform/email/smtp-email-sender.ts';
import { createTableEmailSender } from './platform/email/table-email-sender.ts';
import type { EndedSessions, Viewer } from './platform/graphql/context.ts';
import { createGraphileJobQueue, type JobQueue } from './platform/jobs/job-queue.ts';
import { collectFeeds, createAnnouncer } from './platform/subscriptions/notices.ts';

export type BootstrapOptions = {
  readonly logger: Logger;
  /** The process's configuration; default: a test process's (every default, no signing key). */
  readonly config?: Config;
  /** Required unless every context a test uses is given fakes for what would need it. */
  readonly pool?: DatabasePool;
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  /** How handlers wait (the reset request's response floor); default: a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Where background tasks' jobs go (default: graphile-worker, in the writing transaction). */
  readonly jobQueue?: JobQueue;
  /** Replaces the transport the configuration chose (EMAIL_TRANSPORT) for every context's mail. */
  readonly emailSender?: EmailSender;
  /** Extra event subscribers, run after the contexts' own. */
  readonly eventHandlers?: EventRoutes;
  /** Each context's own test seams. */
  readonly overrides?: ContextOverrides;
  /** The API process's LISTEN connection, for contexts that cache what another instance may change. */
  readonly channels?: ChannelListener;
};

export type Application = {
  readonly bus: KingdomBus;
  /** One set of views that sees everything, for code outside a request (seeding, tests). */
  readonly views: KingdomViews;
  /** Views for one request, scoped to what its caller may read. */
  readonly viewsForRequest: (readScope: ReadScope) => KingdomViews;
  /** A user's effective permissions (nobody's, when no context manages them). */
  readonly permissionsOf: (userId: string) => Promise<Permissions>;
  /** The caller a bearer token names; null when it is not valid (throws only when it cannot tell). */
  readonly authenticate: (token: string) => Promise<Viewer | null>;
  /** Hears sessions end, wherever they end (nothing, when no context authenticates); returns how to stop. */
  readonly watchEndedSessions: (listener: (ended: EndedSessions) => void) => () => void;
  /** Background tasks by name, for the worker and the Lambda handler: each runs with fresh dependencies. */
  readonly tasks: BoundTasks;
  /** Every resource the contexts declare, with its key format. */
  readonly resources: ReadonlyMap<string, KeyFormat>;
  /** What the API does once before serving (each context's start-up, e.g. the administrator account). */
  readonly startup: () => Promise<void>;
  /** Closes what the application opened itself (an SMTP connection); the pool stays the caller's. */
  readonly close: () => void;
};

const SCOPE = Symbol('readScope');
const MADE = Symbol('made');
type RequestViews = { [SCOPE]: ReadScope; [MADE]: Record<string, object> };

/** The list, as the shell sees each entry (every part optional). */
const modules: readonly ContextModule[] = contexts;

const systemClock: Clock = { now: () => new Date() };
const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Each resource is declared by exactly one context. */
export const resourceCatalog = (): ReadonlyMap<string, KeyFormat> => {
  const catalog = new Map<string, KeyFormat>();
  for (const context of modules) {
    for (const [resource, declaration] of Object.entries(context.resources ?? {})) {
      if (catalog.has(resource)) throw new Error(`bootstrap: the resource ${resource} is declared twice`);
      catalog.set(resource, declaration.key);
    }
  }
  return catalog;
};

/** Commands and tasks are addressed by name across the whole application: no two contexts may share one. */
const merged = <Entry>(tables: ReadonlyArray<Readonly<Record<string, Entry>>>, kind: string): Record<string, Entry> => {
  const all: Record<string, Entry> = {};
  for (const table of tables) {
    for (const [name, entry] of Object.entries(table)) {
      if (Object.hasOwn(all, name)) throw new Error(`bootstrap: two contexts handle the ${kind} ${name}`);
      all[name] = entry;
    }
  }
  return all;
};

/** A capability the shell needs from at most one context (authentication, permissions). */
const theOne = <Key extends 'authenticate' | 'permissionsOf' | 'watchEndedSessions'>(
  wired: readonly WiredContext[],
  key: Key,
): WiredContext[Key] => {
  const offering = wired.filter((context) => context[key]);
  if (offering.length > 1) throw new Error(`bootstrap: more than one context offers ${key}`);
  return offering[0]?.[key];
};

export const bootstrap = (options: BootstrapOptions): Application => {
  const config = options.config ?? loadConfig({ NODE_ENV: 'test' }, { signsTokens: false });
  const { logger } = options;
  const database = (): DatabasePool => {
    if (!options.pool) throw new Error('bootstrap: a database pool is required unless the context is given fakes');
    return options.pool;
  };
  const smtp =
    !options.emailSender && config.EMAIL_TRANSPORT === 'smtp' && config.SMTP_URL
      ? createSmtpEmailSender({ url: config.SMTP_URL, from: config.EMAIL_FROM })
      : undefined;
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomUUID;
  // Set once every context is wired: the outbox routes events to the tasks they all declared.
  let tasksFor: Outbox['tasksFor'] = () => [];
  let publish: (events: readonly DomainEvent[]) => Promise<void> = async () => undefined;
  const outbox: Outbox = {
    tasksFor: (event) => tasksFor(event),
    queue: options.jobQueue ?? createGraphileJobQueue({ maxAttempts: config.JOB_MAX_ATTEMPTS }),
    ids,
    clock,
    // Every committed transaction tells every instance what changed, for their subscriptions (any process commits).
    announce: createAnnouncer(collectFeeds(modules), logger),
  };
  const retryPolicy = {
    maxAttempts: config.TRANSACTION_MAX_ATTEMPTS,
    baseDelayMs: config.TRANSACTION_RETRY_BASE_DELAY_MS,
    onRetry: (attempt: number, error: unknown) =>
      logger.debug({ err: error, attempt }, 'retrying a contended transaction'),
  };
  const shell: ContextShell = {
    config,
    logger,
    clock,
    ids,
    sleep: options.sleep ?? timer,
    database,
    unitOfWork: (repositories) => createSlonikUnitOfWork(database(), repositories, retryPolicy, outbox),
    mail: (connection) => options.emailSender ?? smtp ?? createTableEmailSender(connection),
    resources: resourceCatalog(),
    publish: (events) => publish(events),
    channels: options.channels ?? null,
  };

  const overrides: Readonly<Record<string, unknown>> = options.overrides ?? {};
  const wired: WiredContext[] = modules.map((context) => context.wire(shell, overrides[context.name] as never));
  const tasks: BoundTasks = merged(
    wired.map((context) => context.tasks ?? {}),
    'task',
  );
  tasksFor = taskRoutes(tasks);

  const bus = createMessageBus({
    commands: merged(
      wired.map((context) => context.commands ?? {}),
      'command',
    ),
    events: mergeEventRoutes(...wired.map((context) => context.events ?? {}), options.eventHandlers ?? {}),
    logger,
  }) as KingdomBus;
  publish = (events) => bus.publish(events);

  // Views hold per-request DataLoaders, so each request gets its own (batching never mixes two requests). Each
  // context's are made when the request first reads them: most requests touch one or two contexts. The getters are
  // defined once, on a prototype; a request's object only holds its scope and what it made
  // (docs/decisions/0013-kingdoms-own-overhead.md).
  const viewsPrototype = {};
  modules.forEach((context, index) => {
    const make = wired[index]?.views;
    if (!make) return;
    Object.defineProperty(viewsPrototype, context.name, {
      enumerable: true,
      get(this: RequestViews) {
        return (this[MADE][context.name] ??= make(this[SCOPE]));
      },
    });
  });
  const viewsForRequest = (readScope: ReadScope): KingdomViews =>
    Object.assign(Object.create(viewsPrototype) as RequestViews, { [SCOPE]: readScope, [MADE]: {} }) as never;

  const authenticate = theOne(wired, 'authenticate');
  const permissionsOf = theOne(wired, 'permissionsOf');
  const watchEndedSessions = theOne(wired, 'watchEndedSessions');
  return {
    bus,
    views: viewsForRequest(readEverything),
    viewsForRequest,
    permissionsOf: permissionsOf ?? (async () => NO_PERMISSIONS),
    authenticate:
      authenticate ??
      (async () => {
        throw new Error('no context of this application authenticates access tokens');
      }),
    watchEndedSessions: watchEndedSessions ?? (() => () => undefined),
    tasks,
    resources: shell.resources,
    startup: async () => {
      for (const context of wired) await context.startup?.();
    },
    close: () => smtp?.close(),
  };
};

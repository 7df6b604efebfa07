import type { DatabasePool } from 'slonik';
import { createAccessViews } from './access/adapters/slonik-access-views.ts';
import { createRoleGrantRepository } from './access/adapters/slonik-role-grant-repository.ts';
import { createRoleRepository } from './access/adapters/slonik-role-repository.ts';
import { accessCommandHandlers, accessEventHandlers } from './access/services/handlers.ts';
import type { AccessDependencies, AccessRepositories } from './access/services/ports.ts';
import type { AccessViews } from './access/services/views.ts';
import { permissionsFrom, readEverything, type Permissions, type ReadScope } from './core/access.ts';
import {
  bindCommandHandlers,
  bindEventHandlers,
  createMessageBus,
  mergeEventRoutes,
  type EventRoutes,
} from './core/bus.ts';
import { randomUUID } from 'node:crypto';
import type { Clock, EmailSender, IdGenerator, Logger, UnitOfWork } from './core/ports.ts';
import { bindTasks, taskRoutes, type BoundTasks } from './core/tasks.ts';
import { createIdentityViews } from './identity/adapters/slonik-identity-views.ts';
import { createSessionRepository } from './identity/adapters/slonik-session-repository.ts';
import { createUserRepository } from './identity/adapters/slonik-user-repository.ts';
import { createPasswordResetRepository } from './identity/adapters/slonik-password-reset-repository.ts';
import { identityCommandHandlers, identityEventHandlers } from './identity/services/handlers.ts';
import { identityTasks } from './identity/services/tasks.ts';
import type {
  AccessTokenIssuer,
  IdentityDependencies,
  IdentityPolicy,
  IdentityRepositories,
  IdentityTaskRepositories,
  OpaqueTokenFactory,
  PasswordHasher,
  RefreshTokenFactory,
} from './identity/services/ports.ts';
import type { IdentityViews } from './identity/services/views.ts';
import { createAllocationsViewWriter } from './inventory/adapters/slonik-allocations-view.ts';
import { createInventoryViews } from './inventory/adapters/slonik-inventory-views.ts';
import { createProductRepository } from './inventory/adapters/slonik-product-repository.ts';
import { inventoryCommandHandlers, inventoryEventHandlers } from './inventory/services/handlers.ts';
import type { InventoryDependencies, InventoryRepositories } from './inventory/services/ports.ts';
import { inventoryTasks } from './inventory/services/tasks.ts';
import type { InventoryViews } from './inventory/services/views.ts';
import { notificationTasks } from './notifications/services/tasks.ts';
import type { NotificationRepositories, NotificationSettings } from './notifications/services/ports.ts';
import { createSlonikInbox } from './platform/database/inbox.ts';
import { createTableEmailSender } from './platform/email/table-email-sender.ts';
import { createJobViews } from './platform/jobs/failed-jobs.ts';
import { createGraphileJobQueue, type JobQueue } from './platform/jobs/job-queue.ts';
import type { KingdomBus, KingdomViews } from './platform/graphql/context.ts';
import type { RetryPolicy } from './platform/database/retry.ts';
import { createSlonikUnitOfWork, type Outbox, type RepositoryFactory } from './platform/database/unit-of-work.ts';
import { DEFAULT_PUBLIC_URL } from './platform/config.ts';

/**
 * The composition root: the one place that chooses adapters and hands them to handlers. Production passes a
 * pool and gets slonik everywhere; tests pass fakes for whatever they want to isolate (no pool needed then).
 * `npm run generate -- context` wires a new context in at the `// generate: ...` lines (docs/generators.md).
 */
export type BootstrapOptions = {
  readonly logger: Logger;
  readonly pool?: DatabasePool;
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
  readonly retryPolicy?: RetryPolicy;
  /** Crypto adapters of the identity context (built by the shell from configuration, or fakes). */
  readonly identity?: IdentityAdapters;
  readonly identityUnitOfWork?: () => UnitOfWork<IdentityRepositories>;
  readonly identityViews?: IdentityViews;
  readonly inventoryUnitOfWork?: () => UnitOfWork<InventoryRepositories>;
  readonly inventoryViews?: InventoryViews;
  readonly accessUnitOfWork?: () => UnitOfWork<AccessRepositories>;
  readonly accessViews?: AccessViews;
  // generate: options
  /** Extra event subscribers, run after the contexts' own. */
  readonly eventHandlers?: EventRoutes;
  /** Where background tasks' jobs go (default: graphile-worker, in the writing transaction). */
  readonly jobQueue?: JobQueue;
  /** Attempts before a job is left failed (graphile-worker retries with exponential backoff). */
  readonly jobMaxAttempts?: number;
  /** Default: the `sent_emails` table, in the task's transaction (development, tests). */
  readonly emailSender?: EmailSender;
  readonly notifications?: NotificationSettings;
  readonly notificationUnitOfWork?: () => UnitOfWork<NotificationRepositories>;
  /** Where links in account emails point (PUBLIC_URL); default DEFAULT_PUBLIC_URL. */
  readonly publicUrl?: string;
  readonly identityTaskUnitOfWork?: () => UnitOfWork<IdentityTaskRepositories>;
  /** How handlers wait (the reset request's response floor); default: a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
};

export type IdentityAdapters = {
  readonly hasher: PasswordHasher;
  readonly accessTokens: AccessTokenIssuer;
  readonly refreshTokens: RefreshTokenFactory;
  readonly resetTokens: OpaqueTokenFactory;
  readonly policy: IdentityPolicy;
};

export type Application = {
  readonly bus: KingdomBus;
  /** One set of views that sees everything, for code outside a request (seeding, tests). */
  readonly views: KingdomViews;
  /** Views for one request, scoped to what its caller may read. */
  readonly viewsForRequest: (readScope: ReadScope) => KingdomViews;
  /** A user's effective permissions, fresh from the database (one query). */
  readonly permissionsOf: (userId: string) => Promise<Permissions>;
  /** Background tasks by name, for the worker and the Lambda handler: each runs with fresh dependencies. */
  readonly tasks: BoundTasks;
};

export const DEFAULT_NOTIFICATIONS: NotificationSettings = {
  outOfStockRecipients: ['warehouse@kingdom.local'],
  from: 'Kingdom <no-reply@kingdom.local>',
};

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 10 };
export const DEFAULT_JOB_MAX_ATTEMPTS = 10;

const systemClock: Clock = { now: () => new Date() };

/** Stands in for an adapter a test did not provide: fails loudly when used, not when wired. */
const unavailable = <T extends object>(what: string): T =>
  new Proxy({} as T, {
    get: () => {
      throw new Error(`bootstrap: ${what} need a database pool or a fake`);
    },
  });

export const bootstrap = (options: BootstrapOptions): Application => {
  const pool = (): DatabasePool => {
    if (!options.pool) throw new Error('bootstrap: a database pool is required unless every adapter is overridden');
    return options.pool;
  };
  const retryPolicy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomUUID;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  // Static: which tasks each event starts is known before any dependency is built.
  const tasksFor = taskRoutes({ ...inventoryTasks, ...notificationTasks, ...identityTasks });
  const outbox = (): Outbox => ({
    tasksFor,
    queue:
      options.jobQueue ?? createGraphileJobQueue({ maxAttempts: options.jobMaxAttempts ?? DEFAULT_JOB_MAX_ATTEMPTS }),
    ids,
    clock,
  });
  const slonikUnitOfWork = <Repositories>(repositories: RepositoryFactory<Repositories>): UnitOfWork<Repositories> =>
    createSlonikUnitOfWork(
      pool(),
      repositories,
      {
        ...retryPolicy,
        onRetry: (attempt, error) => options.logger.debug({ err: error, attempt }, 'retrying a contended transaction'),
      },
      outbox(),
    );

  const inventoryUnitOfWork =
    options.inventoryUnitOfWork ??
    ((): UnitOfWork<InventoryRepositories> =>
      slonikUnitOfWork((connection, events) => ({
        products: createProductRepository(connection, events),
        allocationsView: createAllocationsViewWriter(connection),
        inbox: createSlonikInbox(connection),
      })));
  const identityUnitOfWork =
    options.identityUnitOfWork ??
    ((): UnitOfWork<IdentityRepositories> =>
      slonikUnitOfWork((connection, events) => ({
        users: createUserRepository(connection, events),
        sessions: createSessionRepository(connection, events),
        passwordResets: createPasswordResetRepository(connection, events),
      })));

  const accessUnitOfWork =
    options.accessUnitOfWork ??
    ((): UnitOfWork<AccessRepositories> =>
      slonikUnitOfWork((connection, events) => ({
        roles: createRoleRepository(connection, events),
        grants: createRoleGrantRepository(connection, events),
      })));

  const identityTaskUnitOfWork =
    options.identityTaskUnitOfWork ??
    ((): UnitOfWork<IdentityTaskRepositories> =>
      slonikUnitOfWork((connection, events) => ({
        inbox: createSlonikInbox(connection),
        mail: options.emailSender ?? createTableEmailSender(connection),
        passwordResets: createPasswordResetRepository(connection, events),
      })));

  const notificationUnitOfWork =
    options.notificationUnitOfWork ??
    ((): UnitOfWork<NotificationRepositories> =>
      slonikUnitOfWork((connection) => ({
        inbox: createSlonikInbox(connection),
        mail: options.emailSender ?? createTableEmailSender(connection),
      })));

  // generate: units of work

  // A fresh unit of work for every message: never shared between concurrent requests.
  const accessDependencies = (): AccessDependencies => ({ uow: accessUnitOfWork(), clock });
  const inventoryDependencies = (): InventoryDependencies => ({ uow: inventoryUnitOfWork(), clock });
  const identityDependencies = (): IdentityDependencies => {
    if (!options.identity) throw new Error('bootstrap: identity adapters (hasher, token issuers, policy) are required');
    return { uow: identityUnitOfWork(), clock, ids, sleep, ...options.identity };
  };

  const bus: KingdomBus = createMessageBus({
    commands: {
      ...bindCommandHandlers(inventoryCommandHandlers, inventoryDependencies),
      ...bindCommandHandlers(identityCommandHandlers, identityDependencies),
      ...bindCommandHandlers(accessCommandHandlers, accessDependencies),
      // generate: command handlers
    },
    events: mergeEventRoutes(
      bindEventHandlers(inventoryEventHandlers, inventoryDependencies),
      bindEventHandlers(identityEventHandlers, identityDependencies),
      bindEventHandlers(accessEventHandlers, accessDependencies),
      // generate: event handlers
      options.eventHandlers ?? {},
    ),
    logger: options.logger,
  });

  // Views hold per-request DataLoaders, so each request gets its own (batching never mixes two requests).
  // Each is scoped to the request's caller (readScope), so lists are filtered in SQL.
  const viewsForRequest = (readScope: ReadScope): KingdomViews => ({
    inventory:
      options.inventoryViews ??
      (options.pool ? createInventoryViews(options.pool, readScope) : unavailable('inventory views')),
    identity:
      options.identityViews ??
      (options.pool ? createIdentityViews(options.pool, readScope) : unavailable('identity views')),
    access:
      options.accessViews ?? (options.pool ? createAccessViews(options.pool, readScope) : unavailable('access views')),
    jobs: options.pool ? createJobViews(options.pool) : unavailable('job views'),
    // generate: views
  });
  const views = viewsForRequest(readEverything);

  const permissionsOf = async (userId: string): Promise<Permissions> => {
    const held = await views.access.heldRoles(userId);
    return permissionsFrom(userId, held.roles, held.policies);
  };

  const tasks: BoundTasks = {
    // A task's committed events (an Allocated) reach the in-process subscribers (the read model), as a command's do.
    ...bindTasks(inventoryTasks, inventoryDependencies, ({ uow }) => bus.publish(uow.collectNewEvents())),
    ...bindTasks(notificationTasks, () => ({
      uow: notificationUnitOfWork(),
      settings: options.notifications ?? DEFAULT_NOTIFICATIONS,
    })),
    ...bindTasks(identityTasks, () => ({
      uow: identityTaskUnitOfWork(),
      clock,
      settings: { publicUrl: options.publicUrl ?? DEFAULT_PUBLIC_URL },
    })),
  };

  return { bus, views, viewsForRequest, permissionsOf, tasks };
};

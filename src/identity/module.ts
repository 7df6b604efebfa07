/**
 * The identity context as the shell sees it (listed in src/contexts.ts): accounts, sessions, passwords and the
 * access tokens the shell authenticates requests with.
 */
import type { ReadScope } from '../core/access.ts';
import { bindCommandHandlers, bindEventHandlers, mergeEventRoutes, runBound, type EventRoutes } from '../core/bus.ts';
import type { UnitOfWork } from '../core/ports.ts';
import { bindTasks } from '../core/tasks.ts';
import type { ContextShell, Module } from '../platform/context-module.ts';
import { createSlonikInbox } from '../platform/database/inbox.ts';
import type { RepositoryFactory } from '../platform/database/unit-of-work.ts';
import type { EndedSessions, Viewer } from '../platform/graphql/context.ts';
import type { EnsureAdministrator } from './domain/commands.ts';
import type { LoggedOut, PasswordChanged, RefreshTokenReused } from './domain/events.ts';
import { identityAdaptersFrom, type IdentityAdapters } from './adapters/configured-adapters.ts';
import { InvalidAccessTokenError } from './adapters/jwt-access-tokens.ts';
import { createPasswordResetTokenFactory } from './adapters/refresh-tokens.ts';
import { createSessionLiveness, sessionStatusLookup, type SessionLiveness } from './adapters/session-liveness.ts';
import { createIdentityViews } from './adapters/slonik-identity-views.ts';
import { createPasswordResetRepository } from './adapters/slonik-password-reset-repository.ts';
import { createSessionRepository } from './adapters/slonik-session-repository.ts';
import { createUserRepository } from './adapters/slonik-user-repository.ts';
import { identityEntities, identityNodes, identityResolvers, identityResources } from './entrypoints/resolvers.ts';
import { identityCommandHandlers, identityEventHandlers } from './services/handlers.ts';
import type {
  AccessTokenClaims,
  IdentityDependencies,
  IdentityRepositories,
  IdentityTaskDependencies,
  IdentityTaskRepositories,
} from './services/ports.ts';
import { identityTasks } from './services/tasks.ts';
import type { IdentityViews } from './services/views.ts';

// Codegen mappers: the TypeScript shape each GraphQL type of identity resolves from (scripts/codegen/context-resolvers.ts).
export type { UserView as UserMapper, UserPage as UserConnectionMapper } from './services/views.ts';
export type { AuthResult as AuthPayloadMapper } from './services/ports.ts';

/** Tests replace what they isolate: units of work (fake stores), views, and the crypto adapters. */
export type IdentityOverrides = {
  readonly unitOfWork?: () => UnitOfWork<IdentityRepositories>;
  readonly taskUnitOfWork?: () => UnitOfWork<IdentityTaskRepositories>;
  readonly views?: (readScope: ReadScope) => IdentityViews;
  /** Replace some of the configured adapters (a fast fake hasher, readable fake tokens); the rest stay. */
  readonly adapters?: Partial<IdentityAdapters>;
  /** Whether a session is live (default: the sessions table, cached when the process listens on its channel). */
  readonly sessions?: SessionLiveness;
};

const repositories: RepositoryFactory<IdentityRepositories> = (connection, events) => ({
  users: createUserRepository(connection, events),
  sessions: createSessionRepository(connection, events),
  passwordResets: createPasswordResetRepository(connection, events),
});

/** When KINGDOM_ADMIN_EMAIL/PASSWORD are unset in development; printed at start-up and by the seed. */
export const DEVELOPMENT_ADMIN = { email: 'admin@kingdom.local', password: 'kingdom-admin' } as const;

const wire = (shell: ContextShell, overrides: IdentityOverrides = {}) => {
  // Built on first use: a process that never signs a token (the worker) needs no signing key.
  let adapters: IdentityAdapters | undefined;
  const adapted = (): IdentityAdapters =>
    (adapters ??= { ...identityAdaptersFrom(shell.config, shell.logger), ...overrides.adapters });
  const unitOfWork = overrides.unitOfWork ?? (() => shell.unitOfWork(repositories));
  const taskUnitOfWork =
    overrides.taskUnitOfWork ??
    (() =>
      shell.unitOfWork<IdentityTaskRepositories>((connection, events) => ({
        inbox: createSlonikInbox(connection),
        mail: shell.mail(connection),
        passwordResets: createPasswordResetRepository(connection, events),
      })));
  const dependencies = (): IdentityDependencies => {
    const { verifyAccessToken: _verify, ...crypto } = adapted();
    return { uow: unitOfWork(), clock: shell.clock, ids: shell.ids, sleep: shell.sleep, ...crypto };
  };
  // Not from `adapted()`: the worker mints reset tokens but never signs an access token, so needs no signing key.
  const resetTokens = overrides.adapters?.resetTokens ?? createPasswordResetTokenFactory();
  const taskDependencies = (): IdentityTaskDependencies => ({
    uow: taskUnitOfWork(),
    clock: shell.clock,
    settings: { publicUrl: shell.config.publicUrl },
    resetTokens,
  });
  const commands = bindCommandHandlers(identityCommandHandlers, dependencies);
  const sessions =
    overrides.sessions ??
    createSessionLiveness({
      // Looked up on first use: a process that never authenticates (the worker) may have no pool at wiring time.
      lookup: (sessionId) => sessionStatusLookup(shell.database())(sessionId),
      channels: shell.channels,
      clock: shell.clock,
      logger: shell.logger,
    });
  return {
    commands,
    events: mergeEventRoutes(bindEventHandlers(identityEventHandlers, dependencies), forgetEndedSessions(sessions)),
    tasks: bindTasks(identityTasks, taskDependencies),
    views: overrides.views ?? ((readScope: ReadScope) => createIdentityViews(shell.database(), readScope)),
    authenticate: async (token: string): Promise<Viewer | null> => {
      const claims = verifiedOrNull(adapted().verifyAccessToken, token);
      // A valid signature is not enough: the session it names must still be live (not logged out, not ended by
      // a password change or reset, not revoked for refresh-token reuse).
      return claims && (await sessions.isLive(claims.sessionId, claims.userId)) ? claims : null;
    },
    watchEndedSessions: (listener: (ended: EndedSessions) => void) => sessions.onEnded(listener),
    startup: () =>
      ensureAdministrator(shell, (command) => runBound(commands.EnsureAdministrator, command, shell.publish)),
  };
};

/** The claims of a token with a valid signature and claims; null for any other token. */
const verifiedOrNull = (verify: (token: string) => AccessTokenClaims, token: string): AccessTokenClaims | null => {
  try {
    return verify(token);
  } catch (error) {
    if (error instanceof InvalidAccessTokenError) return null;
    throw error;
  }
};

/**
 * This process drops its cached sessions as soon as a command it ran has ended them (before the command answers),
 * so the caller's very next request here is refused; other instances drop theirs when `kingdom_sessions` tells them.
 */
const forgetEndedSessions = (sessions: SessionLiveness): EventRoutes => {
  const forgetting =
    <Event>(forget: (event: Event) => void) =>
    async (event: Event) => {
      forget(event);
      return { ok: true as const, result: undefined, events: [] };
    };
  return {
    PasswordChanged: [forgetting<PasswordChanged>(({ userId }) => sessions.forgetUser(userId))],
    RefreshTokenReused: [forgetting<RefreshTokenReused>(({ sessionId }) => sessions.forgetSession(sessionId))],
    LoggedOut: [forgetting<LoggedOut>(({ sessionId }) => sessions.forgetSession(sessionId))],
  };
};

export const identity: Module<'identity', typeof wire> = {
  name: 'identity',
  resources: identityResources,
  resolvers: identityResolvers,
  nodes: identityNodes,
  entities: identityEntities,
  wire,
};

/**
 * KINGDOM_ADMIN_EMAIL/PASSWORD create (once) an administrator holding every permission. Development has a default,
 * printed so the person at the keyboard can sign in; elsewhere there is no administrator unless configured.
 */
const ensureAdministrator = async (
  { config, logger }: ContextShell,
  execute: (command: EnsureAdministrator) => Promise<{ readonly created: boolean }>,
): Promise<void> => {
  const configured = config.KINGDOM_ADMIN_EMAIL && config.KINGDOM_ADMIN_PASSWORD;
  if (!configured && !config.isDevelopment) return;
  const email = config.KINGDOM_ADMIN_EMAIL ?? DEVELOPMENT_ADMIN.email;
  const password = config.KINGDOM_ADMIN_PASSWORD ?? DEVELOPMENT_ADMIN.password;
  const { created } = await execute({ type: 'EnsureAdministrator', email, password, name: 'Administrator' });
  if (created && configured) logger.info({ email }, 'created the administrator account');
  // The start-up banner names it (src/platform/banner.ts); this line is for debugging only.
  if (!configured) {
    logger.debug(
      { email, password },
      'development administrator (set KINGDOM_ADMIN_EMAIL/PASSWORD to choose your own)',
    );
  }
};

/**
 * Request contexts for tests that execute operations without the HTTP shell: a caller with exactly the policies a
 * test gives, through the same `createRequestAccess` the server uses (so permissions load once, lazily).
 */
import { resourceCatalog, type Application } from '../../src/bootstrap.ts';
import { ACTIONS, permissionsFrom, type Policy } from '../../src/core/access.ts';
import { createRequestAccess } from '../../src/platform/auth/request-access.ts';
import type { GraphQLContext } from '../../src/contexts.ts';
import type { RequestAccess } from '../../src/platform/graphql/context.ts';
import { createRecordingLogger } from './graphql.ts';

/** Every resource the application's contexts declare, with its key format (as the composition root builds it). */
export const RESOURCES = resourceCatalog();

/** What the built-in admin role holds (migration 000006): every action on every resource. */
export const EVERYTHING_POLICIES: readonly Policy[] = [...RESOURCES.keys()].map((resource) => ({
  resource,
  actions: [...ACTIONS],
  selectors: ['*'],
}));

export const TEST_ADMIN_ID = '00000000-0000-4000-8000-00000000ad01';

export type Caller = {
  readonly principal: string | null;
  readonly roles?: readonly string[];
  readonly policies?: readonly Policy[];
};

export const ADMIN_CALLER: Caller = { principal: TEST_ADMIN_ID, roles: ['admin'], policies: EVERYTHING_POLICIES };
export const ANONYMOUS: Caller = { principal: null };

export const accessFor = (caller: Caller): RequestAccess & ReturnType<typeof createRequestAccess> =>
  createRequestAccess(caller.principal, async (userId) =>
    permissionsFrom(userId, caller.roles ?? [], caller.policies ?? []),
  );

/** Just enough context for directive tests on hand-written schemas: who calls, nothing else. */
export const callerContext = (
  principal: string | null,
  policies: readonly Policy[] = [],
): Pick<GraphQLContext, 'access' | 'viewer'> => ({
  access: accessFor({ principal, policies }),
  viewer: principal === null ? null : { userId: principal, sessionId: 'test-session' },
});

/** The context the HTTP server would build for `caller`, over `app`'s views scoped to that caller. */
export const requestContext = (app: Application, caller: Caller = ADMIN_CALLER, requestId = 'test'): GraphQLContext => {
  const access = accessFor(caller);
  return {
    bus: app.bus,
    views: app.viewsForRequest(access.readScope),
    viewer: caller.principal === null ? null : { userId: caller.principal, sessionId: 'test-session' },
    access,
    requestId,
    logger: createRecordingLogger(),
    // No client address and no rate limit: these tests call resolvers directly, outside the HTTP shell.
    clientAddress: '127.0.0.1',
    rateLimit: { authAttempt: async () => {} },
  };
};

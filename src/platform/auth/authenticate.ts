import { GraphQLError } from 'graphql';
import { DomainError } from '../../core/errors.ts';
import { isDatabaseUnavailable } from '../graphql/database-unavailable.ts';
import type { Viewer } from '../graphql/context.ts';

/**
 * Checks a bearer token and names its caller (the context that issues tokens provides it): null when the token is
 * not valid; it throws only when it cannot tell (e.g. the database is unavailable), which is not the client's fault.
 */
export type TokenCheck = (token: string) => Promise<Viewer | null>;

const BEARER = /^Bearer ([A-Za-z0-9\-_.]{1,4096})$/;

/**
 * No Authorization header: anonymous. A header that is not a valid `Bearer <access token>` (its session ended
 * included): an UNAUTHENTICATED error for the whole request (HTTP 401), never a silent downgrade to anonymous, which
 * would hide a client's bug.
 */
export const authenticate = async (authorization: string | undefined, check: TokenCheck): Promise<Viewer | null> => {
  if (authorization === undefined) return null;
  const token = BEARER.exec(authorization)?.[1];
  const viewer = token ? await check(token).catch(unavailableWhenDatabaseIs) : null;
  if (viewer) {
    const { userId, sessionId, expiresAt } = viewer;
    return expiresAt ? { userId, sessionId, expiresAt } : { userId, sessionId };
  }
  const reason = new DomainError('Unauthenticated', 'InvalidAccessToken', 'Invalid or expired access token');
  throw new GraphQLError(reason.message, {
    originalError: reason,
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
};

/**
 * A check that could not reach the database (it asks whether the token's session is still live) fails the whole
 * request as SERVICE_UNAVAILABLE, HTTP 503: the client may retry, and is never told it is signed out.
 */
const unavailableWhenDatabaseIs = (error: unknown): never => {
  if (!isDatabaseUnavailable(error)) throw error;
  throw new GraphQLError('The database is unavailable right now; try again shortly', {
    originalError: error instanceof Error ? error : undefined,
    extensions: { http: { status: 503 } },
  });
};

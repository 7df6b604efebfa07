import { GraphQLError } from 'graphql';
import { DomainError } from '../../core/errors.ts';
import type { Viewer } from '../graphql/context.ts';

/** Checks a bearer token and names its caller (the context that issues tokens provides it); throws when invalid. */
export type TokenCheck = (token: string) => Promise<Viewer>;

const BEARER = /^Bearer ([A-Za-z0-9\-_.]{1,4096})$/;

/**
 * No Authorization header: anonymous. A header that is not a valid `Bearer <access token>`: an UNAUTHENTICATED
 * error for the whole request (HTTP 401), never a silent downgrade to anonymous, which would hide a client's bug.
 */
export const authenticate = async (authorization: string | undefined, check: TokenCheck): Promise<Viewer | null> => {
  if (authorization === undefined) return null;
  const token = BEARER.exec(authorization)?.[1];
  try {
    if (!token) throw new Error('not a bearer token');
    const { userId, sessionId, expiresAt } = await check(token);
    return expiresAt ? { userId, sessionId, expiresAt } : { userId, sessionId };
  } catch {
    const reason = new DomainError('Unauthenticated', 'InvalidAccessToken', 'Invalid or expired access token');
    throw new GraphQLError(reason.message, {
      originalError: reason,
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
  }
};

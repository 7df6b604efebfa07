import { DomainError } from '../../core/errors.ts';
import { openSession, type Session } from '../domain/session.ts';
import { normaliseEmail } from '../domain/user.ts';
import type { AuthResult, IdentityDependencies } from './ports.ts';

/** Refresh token in clear for the client, and the session that keeps only its hash. */
export const prepareSession = ({ ids, refreshTokens, policy }: IdentityDependencies, userId: string, now: Date) => {
  const refreshToken = refreshTokens.generate();
  const tokenHash = refreshTokens.hash(refreshToken);
  return { refreshToken, session: openSession({ id: ids(), userId, tokenHash, now, ttlMs: policy.refreshTokenTtlMs }) };
};

/** Signed after commit: an access token must never name a session that did not commit. */
export const authResult = (
  { accessTokens }: IdentityDependencies,
  session: Session,
  refreshToken: string,
): AuthResult => {
  const { token, expiresInSeconds } = accessTokens.issue({ userId: session.userId, sessionId: session.id });
  return { userId: session.userId, accessToken: token, refreshToken, expiresIn: expiresInSeconds };
};

/** An email that cannot be normalised cannot belong to an account: it is handled exactly like an unknown one. */
export const emailOrNull = (raw: string): string | null => {
  try {
    return normaliseEmail(raw);
  } catch (error) {
    if (error instanceof DomainError) return null;
    throw error;
  }
};

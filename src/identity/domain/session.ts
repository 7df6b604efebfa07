import type { IdentityEvent } from './events.ts';

/**
 * A refresh-token family: one per sign-in, rotated on every refresh. Only the hash of the current refresh token is
 * kept here; hashes of retired ones are kept by the repository so that a replay is recognised and revokes the family.
 */
export type Session = {
  readonly id: string;
  readonly userId: string;
  readonly tokenHash: string;
  /** Set when this change rotated the token: the hash the repository must now remember as retired. */
  readonly retiredTokenHash: string | null;
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
  readonly version: number;
  readonly createdAt: Date;
  readonly events: readonly IdentityEvent[];
};

export const openSession = (input: {
  id: string;
  userId: string;
  tokenHash: string;
  now: Date;
  ttlMs: number;
}): Session => ({
  id: input.id,
  userId: input.userId,
  tokenHash: input.tokenHash,
  retiredTokenHash: null,
  expiresAt: new Date(input.now.getTime() + input.ttlMs),
  revokedAt: null,
  version: 0,
  createdAt: input.now,
  events: [],
});

export const isUsable = (session: Session, now: Date): boolean => session.revokedAt === null && session.expiresAt > now;

/** Retires the current refresh token for a new one. The family keeps its original expiry (no endless sessions). */
export const rotate = (session: Session, newTokenHash: string): Session => ({
  ...session,
  tokenHash: newTokenHash,
  retiredTokenHash: session.tokenHash,
});

export const revoke = (session: Session, now: Date): Session =>
  session.revokedAt ? session : { ...session, revokedAt: now };

/** Log-out: the session ends (its access tokens with it), announced once; a session already ended stays as it is. */
export const revokeForLogOut = (session: Session, now: Date): Session =>
  session.revokedAt
    ? session
    : {
        ...revoke(session, now),
        events: [...session.events, { type: 'LoggedOut', userId: session.userId, sessionId: session.id }],
      };

export const revokeForReuse = (session: Session, now: Date): Session => ({
  ...revoke(session, now),
  events: [...session.events, { type: 'RefreshTokenReused', userId: session.userId, sessionId: session.id }],
});

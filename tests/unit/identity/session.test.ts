import {
  isUsable,
  openSession,
  revoke,
  revokeForLogOut,
  revokeForReuse,
  rotate,
} from '../../../src/identity/domain/session.ts';

const NOW = new Date('2026-01-01T00:00:00.000Z');
const TTL = 60_000;
const later = (ms: number): Date => new Date(NOW.getTime() + ms);
const session = () => openSession({ id: 's-1', userId: 'u-1', tokenHash: 'h:first', now: NOW, ttlMs: TTL });

describe('a refresh-token session', () => {
  it('opens usable, at version 0, expiring after the TTL', () => {
    const opened = session();

    expect(opened).toMatchObject({ tokenHash: 'h:first', retiredTokenHash: null, revokedAt: null, version: 0 });
    expect(opened.expiresAt).toEqual(later(TTL));
    expect(isUsable(opened, later(TTL - 1))).toBe(true);
    expect(isUsable(opened, later(TTL))).toBe(false);
  });

  it('rotates to a new token hash, marks the old one for retirement and keeps the family’s expiry', () => {
    const rotated = rotate(session(), 'h:second');

    expect(rotated).toMatchObject({ tokenHash: 'h:second', retiredTokenHash: 'h:first', expiresAt: later(TTL) });
    expect(rotated.events).toEqual([]);
  });

  it('is unusable once revoked, and a second revocation keeps the first time', () => {
    const revoked = revoke(session(), later(1));

    expect(isUsable(revoked, later(2))).toBe(false);
    expect(revoke(revoked, later(5)).revokedAt).toEqual(later(1));
  });

  it('revoked for reuse raises RefreshTokenReused naming the user and the session', () => {
    const revoked = revokeForReuse(session(), later(1));

    expect(revoked.revokedAt).toEqual(later(1));
    expect(revoked.events).toEqual([{ type: 'RefreshTokenReused', userId: 'u-1', sessionId: 's-1' }]);
  });

  it('logged out raises LoggedOut naming the user and the session, once', () => {
    const loggedOut = revokeForLogOut(session(), later(1));

    expect(loggedOut.revokedAt).toEqual(later(1));
    expect(loggedOut.events).toEqual([{ type: 'LoggedOut', userId: 'u-1', sessionId: 's-1' }]);
    expect(revokeForLogOut(loggedOut, later(2))).toBe(loggedOut);
  });
});

import {
  isMailable,
  isRedeemable,
  mayMailAnother,
  openPasswordReset,
} from '../../../src/identity/domain/password-reset.ts';

const NOW = new Date('2026-11-25T12:00:00.000Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);
const reset = openPasswordReset({ id: 'r-1', userId: 'u', email: 'ada@example.com', now: NOW, ttlMs: 1000 });
const mailed = { ...reset, tokenHash: 'h' };
const policy = { passwordResetTtlMs: 1000, passwordResetEmailIntervalMs: 60_000 };

describe('a password reset', () => {
  it('expires its TTL after the request, has no token yet, and raises the event that mails it (nothing secret)', () => {
    expect(reset).toMatchObject({
      id: 'r-1',
      userId: 'u',
      tokenHash: null,
      expiresAt: at(1000),
      usedAt: null,
      revokedAt: null,
      createdAt: NOW,
    });
    expect(reset.events).toEqual([
      {
        type: 'PasswordResetRequested',
        userId: 'u',
        email: 'ada@example.com',
        resetId: 'r-1',
        expiresAt: at(1000).toISOString(),
      },
    ]);
  });

  it('may be mailed (its token minted) once, until it expires, and never once used or revoked', () => {
    expect(isMailable(reset, at(999))).toBe(true);
    expect(isMailable(reset, at(1000))).toBe(false);
    expect(isMailable(mailed, NOW)).toBe(false);
    expect(isMailable({ ...reset, usedAt: NOW }, NOW)).toBe(false);
    expect(isMailable({ ...reset, revokedAt: NOW }, NOW)).toBe(false);
  });

  it('is redeemable once mailed, until it expires, and never once used or revoked', () => {
    expect(isRedeemable(reset, NOW)).toBe(false);
    expect(isRedeemable(mailed, at(999))).toBe(true);
    expect(isRedeemable(mailed, at(1000))).toBe(false);
    expect(isRedeemable({ ...mailed, usedAt: NOW }, NOW)).toBe(false);
    expect(isRedeemable({ ...mailed, revokedAt: NOW }, NOW)).toBe(false);
  });
});

describe('the reset email throttle', () => {
  it('allows the first request, and another only once the interval since the last has passed', () => {
    expect(mayMailAnother(null, NOW, policy)).toBe(true);
    expect(mayMailAnother(NOW, at(59_999), policy)).toBe(false);
    expect(mayMailAnother(NOW, at(60_000), policy)).toBe(true);
  });

  it('allows every request with an interval of 0', () => {
    expect(mayMailAnother(NOW, NOW, { ...policy, passwordResetEmailIntervalMs: 0 })).toBe(true);
  });
});

import { isRedeemable, issuePasswordResetToken, mayMailAnother } from '../../../src/identity/domain/password-reset.ts';

const NOW = new Date('2026-11-25T12:00:00.000Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);
const token = issuePasswordResetToken({
  token: 't',
  tokenHash: 'h',
  userId: 'u',
  email: 'ada@example.com',
  now: NOW,
  ttlMs: 1000,
});
const policy = { passwordResetTtlMs: 1000, passwordResetEmailIntervalMs: 60_000 };

describe('a password reset token', () => {
  it('expires its TTL after issue, and raises the event that mails it', () => {
    expect(token).toMatchObject({
      tokenHash: 'h',
      userId: 'u',
      expiresAt: at(1000),
      usedAt: null,
      revokedAt: null,
      createdAt: NOW,
    });
    expect(token.events).toEqual([
      {
        type: 'PasswordResetRequested',
        userId: 'u',
        email: 'ada@example.com',
        token: 't',
        tokenHash: 'h',
        expiresAt: at(1000).toISOString(),
      },
    ]);
  });

  it('is redeemable until it expires, and never once used or revoked', () => {
    expect(isRedeemable(token, at(999))).toBe(true);
    expect(isRedeemable(token, at(1000))).toBe(false);
    expect(isRedeemable({ ...token, usedAt: NOW }, NOW)).toBe(false);
    expect(isRedeemable({ ...token, revokedAt: NOW }, NOW)).toBe(false);
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

import type { IdentityEvent } from './events.ts';

/**
 * A password reset token: one per request, mailed in clear and kept here only as its hash. Single use, short-lived,
 * and dead as soon as a newer request or any password change supersedes it.
 */
export type PasswordResetToken = {
  readonly tokenHash: string;
  readonly userId: string;
  readonly expiresAt: Date;
  /** When it was redeemed. */
  readonly usedAt: Date | null;
  /** When a newer request or a password change superseded it. */
  readonly revokedAt: Date | null;
  readonly createdAt: Date;
  readonly events: readonly IdentityEvent[];
};

export type PasswordResetPolicy = {
  /** How long a mailed link works. */
  readonly passwordResetTtlMs: number;
  /** At most one reset email per account per this interval (0: no limit beyond the rate limiter's). */
  readonly passwordResetEmailIntervalMs: number;
  /** A reset request is answered no sooner than this after it arrived, whether or not the account exists. */
  readonly passwordResetMinResponseMs: number;
};

/**
 * A new token for the account, raising the event that mails it. The event carries the token in clear, because the
 * email must: it becomes the payload of the mailing job (the outbox) until that job has run.
 */
export const issuePasswordResetToken = (input: {
  token: string;
  tokenHash: string;
  userId: string;
  email: string;
  now: Date;
  ttlMs: number;
}): PasswordResetToken => {
  const expiresAt = new Date(input.now.getTime() + input.ttlMs);
  return {
    tokenHash: input.tokenHash,
    userId: input.userId,
    expiresAt,
    usedAt: null,
    revokedAt: null,
    createdAt: input.now,
    events: [
      {
        type: 'PasswordResetRequested',
        userId: input.userId,
        email: input.email,
        token: input.token,
        tokenHash: input.tokenHash,
        expiresAt: expiresAt.toISOString(),
      },
    ],
  };
};

export const isRedeemable = (token: PasswordResetToken, now: Date): boolean =>
  token.usedAt === null && token.revokedAt === null && token.expiresAt > now;

/**
 * The email throttle: a request within the interval of the account's previous one mails nothing, so a flood of
 * requests is not a flood of emails. The previous link stays the newest, and works as before.
 */
export const mayMailAnother = (
  lastIssuedAt: Date | null,
  now: Date,
  policy: Pick<PasswordResetPolicy, 'passwordResetEmailIntervalMs'>,
): boolean => lastIssuedAt === null || now.getTime() - lastIssuedAt.getTime() >= policy.passwordResetEmailIntervalMs;

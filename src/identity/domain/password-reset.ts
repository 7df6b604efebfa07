import type { IdentityEvent } from './events.ts';

/**
 * A password reset: one per request. Its token does not exist until the email is sent: the mailing job mints it,
 * mails it and keeps only its hash, in one transaction. So no queue (graphile-worker's table, SQS, failed jobs)
 * ever holds a secret, only which reset to mail. Single use, short-lived, and dead as soon as a newer request or any
 * password change supersedes it.
 */
export type PasswordReset = {
  readonly id: string;
  readonly userId: string;
  /** Null until the email carrying the token is sent. */
  readonly tokenHash: string | null;
  readonly expiresAt: Date;
  /** When it was redeemed. */
  readonly usedAt: Date | null;
  /** When a newer request or a password change superseded it. */
  readonly revokedAt: Date | null;
  readonly createdAt: Date;
  readonly events: readonly IdentityEvent[];
};

export type PasswordResetPolicy = {
  /** How long a link works, counted from the request. */
  readonly passwordResetTtlMs: number;
  /** At most one reset email per account per this interval (0: no limit beyond the rate limiter's). */
  readonly passwordResetEmailIntervalMs: number;
  /** A reset request is answered no sooner than this after it arrived, whether or not the account exists. */
  readonly passwordResetMinResponseMs: number;
};

/** A new reset for the account, raising the event that mails it: who to mail and which reset, nothing secret. */
export const openPasswordReset = (input: {
  id: string;
  userId: string;
  email: string;
  now: Date;
  ttlMs: number;
}): PasswordReset => {
  const expiresAt = new Date(input.now.getTime() + input.ttlMs);
  return {
    id: input.id,
    userId: input.userId,
    tokenHash: null,
    expiresAt,
    usedAt: null,
    revokedAt: null,
    createdAt: input.now,
    events: [
      {
        type: 'PasswordResetRequested',
        userId: input.userId,
        email: input.email,
        resetId: input.id,
        expiresAt: expiresAt.toISOString(),
      },
    ],
  };
};

const isLive = (reset: PasswordReset, now: Date): boolean =>
  reset.usedAt === null && reset.revokedAt === null && reset.expiresAt > now;

/** The mailing job may mint its token: live, and not sent yet (a token is minted once). */
export const isMailable = (reset: PasswordReset, now: Date): boolean => reset.tokenHash === null && isLive(reset, now);

/** Its mailed token may reset the password. */
export const isRedeemable = (reset: PasswordReset, now: Date): boolean =>
  reset.tokenHash !== null && isLive(reset, now);

/**
 * The email throttle: a request within the interval of the account's previous one mails nothing, so a flood of
 * requests is not a flood of emails. The previous link stays the newest, and works as before.
 */
export const mayMailAnother = (
  lastIssuedAt: Date | null,
  now: Date,
  policy: Pick<PasswordResetPolicy, 'passwordResetEmailIntervalMs'>,
): boolean => lastIssuedAt === null || now.getTime() - lastIssuedAt.getTime() >= policy.passwordResetEmailIntervalMs;

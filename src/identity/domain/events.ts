export type UserSignedUp = { readonly type: 'UserSignedUp'; readonly userId: string; readonly email: string };
export type LoginFailed = { readonly type: 'LoginFailed'; readonly userId: string; readonly failures: number };
export type AccountLocked = { readonly type: 'AccountLocked'; readonly userId: string; readonly until: Date };
/** A retired refresh token was presented again: the whole session family is revoked (RFC 9700 4.14.2). */
export type RefreshTokenReused = {
  readonly type: 'RefreshTokenReused';
  readonly userId: string;
  readonly sessionId: string;
};

/**
 * Starts the reset email (task sendPasswordResetEmail). `token` is in clear because the email must carry it: the event
 * is the mailing job's payload until that job runs, so job payloads are as sensitive as the link, until `expiresAt`.
 * Never log it.
 */
export type PasswordResetRequested = {
  readonly type: 'PasswordResetRequested';
  readonly userId: string;
  /** The account's (normalised) email, where the link goes. */
  readonly email: string;
  readonly token: string;
  /** Names the stored token, so the task can skip a link that no longer works. */
  readonly tokenHash: string;
  /** ISO-8601. */
  readonly expiresAt: string;
};
/** A new password was set, by a reset link or by the signed-in user: every session of the account ended with it. */
export type PasswordChanged = {
  readonly type: 'PasswordChanged';
  readonly userId: string;
  readonly how: 'reset' | 'change';
};

export type IdentityEvent =
  UserSignedUp | LoginFailed | AccountLocked | RefreshTokenReused | PasswordResetRequested | PasswordChanged;

export type UserSignedUp = { readonly type: 'UserSignedUp'; readonly userId: string; readonly email: string };
export type LoginFailed = { readonly type: 'LoginFailed'; readonly userId: string; readonly failures: number };
export type AccountLocked = { readonly type: 'AccountLocked'; readonly userId: string; readonly until: Date };
/** A retired refresh token was presented again: the whole session family is revoked (RFC 9700 4.14.2). */
export type RefreshTokenReused = {
  readonly type: 'RefreshTokenReused';
  readonly userId: string;
  readonly sessionId: string;
};

/** The session was ended by log-out: its refresh token and its access tokens stop working. */
export type LoggedOut = { readonly type: 'LoggedOut'; readonly userId: string; readonly sessionId: string };

/**
 * Starts the reset email (task sendPasswordResetEmail). It carries no token: the task mints one when it sends the
 * email and keeps only its hash, so the job's payload (graphile-worker's table, an SQS message, failedJobs) holds
 * nothing that could reset a password.
 */
export type PasswordResetRequested = {
  readonly type: 'PasswordResetRequested';
  readonly userId: string;
  /** The account's (normalised) email, where the link goes. */
  readonly email: string;
  /** The reset to mail (password_resets.id). */
  readonly resetId: string;
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
  | UserSignedUp
  | LoginFailed
  | AccountLocked
  | RefreshTokenReused
  | LoggedOut
  | PasswordResetRequested
  | PasswordChanged;

export type UserSignedUp = { readonly type: 'UserSignedUp'; readonly userId: string; readonly email: string };
export type LoginFailed = { readonly type: 'LoginFailed'; readonly userId: string; readonly failures: number };
export type AccountLocked = { readonly type: 'AccountLocked'; readonly userId: string; readonly until: Date };
/** A retired refresh token was presented again: the whole session family is revoked (RFC 9700 4.14.2). */
export type RefreshTokenReused = { readonly type: 'RefreshTokenReused'; readonly userId: string; readonly sessionId: string };

export type IdentityEvent = UserSignedUp | LoginFailed | AccountLocked | RefreshTokenReused;

/** Orders the identity context accepts. Passwords and tokens travel here in clear and are never stored so. */
export type SignUp = {
  readonly type: 'SignUp';
  readonly email: string;
  readonly password: string;
  readonly name: string;
};
export type LogIn = { readonly type: 'LogIn'; readonly email: string; readonly password: string };
export type RefreshSession = { readonly type: 'RefreshSession'; readonly refreshToken: string };
export type LogOut = { readonly type: 'LogOut'; readonly refreshToken: string };
/** Creates the bootstrap administrator once (idempotent); used at start-up, not exposed over GraphQL. */
export type EnsureAdministrator = {
  readonly type: 'EnsureAdministrator';
  readonly email: string;
  readonly password: string;
  readonly name: string;
};

/** Mails a reset link if an account has this email; answers the same either way. */
export type RequestPasswordReset = { readonly type: 'RequestPasswordReset'; readonly email: string };
/** Sets a new password with the token of a reset link, and signs in. */
export type ResetPassword = { readonly type: 'ResetPassword'; readonly token: string; readonly newPassword: string };
/** The signed-in user (`userId`, from the access token) sets a new password, proving the current one. */
export type ChangePassword = {
  readonly type: 'ChangePassword';
  readonly userId: string;
  readonly currentPassword: string;
  readonly newPassword: string;
};

export type IdentityCommand =
  | SignUp
  | LogIn
  | RefreshSession
  | LogOut
  | EnsureAdministrator
  | RequestPasswordReset
  | ResetPassword
  | ChangePassword;

/** Orders the identity context accepts. Passwords and tokens travel here in clear and are never stored so. */
export type SignUp = { readonly type: 'SignUp'; readonly email: string; readonly password: string; readonly name: string };
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

export type IdentityCommand = SignUp | LogIn | RefreshSession | LogOut | EnsureAdministrator;

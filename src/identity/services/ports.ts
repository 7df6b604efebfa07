import type { Clock, EmailSender, IdGenerator, Inbox, UnitOfWork } from '../../core/ports.ts';
import type { PasswordReset, PasswordResetPolicy } from '../domain/password-reset.ts';
import type { Session } from '../domain/session.ts';
import type { LockoutPolicy, User } from '../domain/user.ts';

/** Hashes passwords (argon2id in production); the stored string names its algorithm and parameters. */
export type PasswordHasher = {
  hash(password: string): Promise<string>;
  verify(storedHash: string, password: string): Promise<boolean>;
  /** True when the stored hash uses weaker parameters than the hasher's current ones. */
  needsRehash(storedHash: string): boolean;
  /** A valid hash of a random password, verified against for unknown accounts so they take as long as known ones. */
  readonly dummyHash: string;
};

export type AccessTokenClaims = { readonly userId: string; readonly sessionId: string };

/** Signs short-lived access tokens (JWT). Verification lives in the shell (platform/auth), per request. */
export type AccessTokenIssuer = {
  issue(claims: AccessTokenClaims): { readonly token: string; readonly expiresInSeconds: number };
};

/** Opaque secret tokens (refresh tokens, password reset links): random, at least 256 bits, stored only as a hash. */
export type OpaqueTokenFactory = {
  generate(): string;
  hash(token: string): string;
};
export type RefreshTokenFactory = OpaqueTokenFactory;

export type UserRepository = {
  get(id: string): Promise<User | null>;
  findByEmail(email: string): Promise<User | null>;
  /** Inserts a new user (version 0) or updates with an optimistic version check; hands over the user's events. */
  save(user: User): Promise<void>;
};

export type SessionLookup =
  | { readonly status: 'current'; readonly session: Session }
  /** The token was valid once and has been rotated away: presenting it again is a replay. */
  | { readonly status: 'retired'; readonly session: Session };

export type SessionRepository = {
  findByTokenHash(tokenHash: string): Promise<SessionLookup | null>;
  /** Saves with a version check; remembers `retiredTokenHash` (if set) as retired for this session. */
  save(session: Session): Promise<void>;
  /** Revokes every live session of the user (password change/reset). */
  revokeAllOf(userId: string, now: Date): Promise<void>;
};

/** Password resets, by id or by the hash of their mailed token. Only `add` records events (the one that mails it). */
export type PasswordResetRepository = {
  findById(id: string): Promise<PasswordReset | null>;
  findByHash(tokenHash: string): Promise<PasswordReset | null>;
  /**
   * When the account's newest reset was requested (null: never), after taking a lock that makes a concurrent
   * request for the same account wait for this transaction: the throttle then decides on what that one committed.
   */
  lastIssuedFor(userId: string): Promise<Date | null>;
  add(reset: PasswordReset): Promise<void>;
  /**
   * Keeps the hash of the token the email is about to carry, if the reset is still mailable (live, no token yet);
   * otherwise ConcurrentUpdateError.
   */
  setTokenHash(id: string, tokenHash: string): Promise<void>;
  /** Marks it used, if it still is unused and not revoked; otherwise ConcurrentUpdateError (someone spent it first). */
  markUsed(tokenHash: string, now: Date): Promise<void>;
  /** Revokes every live reset of the account, mailed or not (a newer request, or a password change). */
  revokeAllOf(userId: string, now: Date): Promise<void>;
  /** Forgets the account's resets that expired before `before` (they would be refused anyway). */
  deleteExpiredOf(userId: string, before: Date): Promise<void>;
};

export type IdentityRepositories = {
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly passwordResets: PasswordResetRepository;
};

export type IdentityPolicy = LockoutPolicy & PasswordResetPolicy & { readonly refreshTokenTtlMs: number };

export type IdentityDependencies = {
  readonly uow: UnitOfWork<IdentityRepositories>;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly hasher: PasswordHasher;
  readonly accessTokens: AccessTokenIssuer;
  readonly refreshTokens: RefreshTokenFactory;
  readonly resetTokens: OpaqueTokenFactory;
  readonly policy: IdentityPolicy;
  /** Waits `ms` (a timer in production; tests record it). */
  readonly sleep: (ms: number) => Promise<void>;
};

/** The reset email's task: its inbox row, the minted token's hash and the mail share one transaction. */
export type IdentityTaskRepositories = {
  readonly inbox: Inbox;
  readonly mail: EmailSender;
  readonly passwordResets: PasswordResetRepository;
};

export type AccountEmailSettings = {
  /** The web app's public address (PUBLIC_URL), where links in emails point; never taken from a request. */
  readonly publicUrl: string;
};

/** What identity's background tasks use, fresh per delivery (src/bootstrap.ts). */
export type IdentityTaskDependencies = {
  readonly uow: UnitOfWork<IdentityTaskRepositories>;
  readonly clock: Clock;
  readonly settings: AccountEmailSettings;
  /** Mints the reset link's token when its email is sent. */
  readonly resetTokens: OpaqueTokenFactory;
};

/** What every successful sign-up, log-in and refresh answers with. */
export type AuthResult = {
  readonly userId: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
};

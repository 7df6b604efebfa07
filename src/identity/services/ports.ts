import type { Clock, IdGenerator, UnitOfWork } from '../../core/ports.ts';
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

/** Opaque refresh tokens: random, at least 256 bits, stored only as a hash. */
export type RefreshTokenFactory = {
  generate(): string;
  hash(token: string): string;
};

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

export type IdentityRepositories = { readonly users: UserRepository; readonly sessions: SessionRepository };

export type IdentityPolicy = LockoutPolicy & { readonly refreshTokenTtlMs: number };

export type IdentityDependencies = {
  readonly uow: UnitOfWork<IdentityRepositories>;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly hasher: PasswordHasher;
  readonly accessTokens: AccessTokenIssuer;
  readonly refreshTokens: RefreshTokenFactory;
  readonly policy: IdentityPolicy;
};

/** What every successful sign-up, log-in and refresh answers with. */
export type AuthResult = {
  readonly userId: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
};

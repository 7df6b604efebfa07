import { DomainError } from '../../core/errors.ts';
import type { IdentityEvent } from './events.ts';
import { isUuid } from '../../core/uuid.ts';

/** Built-in roles (migration 000006 creates them): admin may do everything; every account holds member. */
export const ADMIN_ROLE = 'admin';
/** Granted at sign-up: what anyone with an account may do (read their own account and roles). */
export const MEMBER_ROLE = 'member';

/** The account aggregate. `version` is the one it was loaded at (0 when new); repositories bump it per save. */
export type User = {
  readonly id: string;
  /** Normalised: trimmed and lower-cased. */
  readonly email: string;
  readonly name: string;
  /** Self-describing hash string (algorithm and parameters inside), never the password. */
  readonly passwordHash: string;
  readonly roles: readonly string[];
  readonly failedLogins: number;
  readonly lockedUntil: Date | null;
  readonly version: number;
  readonly createdAt: Date;
  readonly events: readonly IdentityEvent[];
};

export type LockoutPolicy = {
  /** Consecutive failures allowed before the account locks. */
  readonly maxFailures: number;
  /** First lock length; each further failure while at the limit doubles it, up to 24 hours. */
  readonly lockoutMs: number;
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_LOCK_MS = 24 * 60 * 60 * 1000;

const invalid = (field: string, message: string): DomainError =>
  new DomainError('InvalidInput', 'InvalidInput', message, { field });

/**
 * Account ids are UUIDs: any other string names no account. Ids arrive from clients (global ids, policy keys), and
 * Postgres would reject a malformed one as a syntax error rather than match nothing.
 */
export const isUserId = isUuid;

export const normaliseEmail = (raw: string): string => {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email)) throw invalid('email', 'email must be a valid email address');
  return email;
};

/** NIST 800-63B: at least 8 characters, at most 128 (counted as Unicode code points), nothing else imposed. */
export const checkPasswordPolicy = (password: string, field = 'password'): void => {
  const length = [...password].length;
  if (length < 8 || length > 128) throw invalid(field, `${field} must be 8 to 128 characters long`);
};

export const checkName = (raw: string): string => {
  const name = raw.trim();
  if (name.length < 1 || name.length > 100) throw invalid('name', 'name must be 1 to 100 characters long');
  return name;
};

export const registerUser = (input: {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  roles?: readonly string[];
  now: Date;
}): User => ({
  id: input.id,
  email: normaliseEmail(input.email),
  name: checkName(input.name),
  passwordHash: input.passwordHash,
  roles: input.roles ?? [],
  failedLogins: 0,
  lockedUntil: null,
  version: 0,
  createdAt: input.now,
  events: [{ type: 'UserSignedUp', userId: input.id, email: normaliseEmail(input.email) }],
});

export const isLocked = (user: User, now: Date): boolean => user.lockedUntil !== null && user.lockedUntil > now;

/** Counts a wrong password; at the limit the account locks, for longer with every further failure. */
export const recordFailedLogin = (user: User, now: Date, policy: LockoutPolicy): User => {
  const failures = user.failedLogins + 1;
  const events: IdentityEvent[] = [{ type: 'LoginFailed', userId: user.id, failures }];
  let lockedUntil = user.lockedUntil;
  if (failures >= policy.maxFailures) {
    const lockMs = Math.min(policy.lockoutMs * 2 ** (failures - policy.maxFailures), MAX_LOCK_MS);
    lockedUntil = new Date(now.getTime() + lockMs);
    events.push({ type: 'AccountLocked', userId: user.id, until: lockedUntil });
  }
  return { ...user, failedLogins: failures, lockedUntil, events: [...user.events, ...events] };
};

/** A correct password: the failure count starts over; a stronger hash replaces an outdated one. */
export const recordSuccessfulLogin = (user: User, rehashed: string | null): User => ({
  ...user,
  failedLogins: 0,
  lockedUntil: null,
  passwordHash: rehashed ?? user.passwordHash,
});

/**
 * A new password (by reset link or by the signed-in user). Failures and any lock end with it: whoever set it proved
 * the mailbox or the current password.
 */
export const setPassword = (user: User, passwordHash: string, how: 'reset' | 'change'): User => ({
  ...user,
  passwordHash,
  failedLogins: 0,
  lockedUntil: null,
  events: [...user.events, { type: 'PasswordChanged', userId: user.id, how }],
});

export const withRole = (user: User, role: string): User =>
  user.roles.includes(role) ? user : { ...user, roles: [...user.roles, role] };

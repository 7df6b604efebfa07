import type { EnsureAdministrator, LogIn, LogOut, RefreshSession, SignUp } from '../domain/commands.ts';
import { emailTaken, invalidCredentials, invalidRefreshToken } from '../domain/errors.ts';
import { isUsable, revokeForLogOut, revokeForReuse, rotate } from '../domain/session.ts';
import {
  ADMIN_ROLE,
  checkName,
  checkPasswordPolicy,
  isLocked,
  MEMBER_ROLE,
  normaliseEmail,
  recordFailedLogin,
  recordSuccessfulLogin,
  registerUser,
  withRole,
} from '../domain/user.ts';
import { changePassword, requestPasswordReset, resetPassword } from './password-handlers.ts';
import type { AuthResult, IdentityDependencies, UserRepository } from './ports.ts';
import { authResult, emailOrNull, prepareSession } from './sign-in.ts';

// Password hashing is deliberately slow, so it never runs inside a transaction: it would hold a connection
// (and row locks) for its whole duration, and a retried transaction would hash again. Everything the work of
// a transaction needs (hashes, ids, refresh tokens) is prepared before it, so a retry saves the same values.

export type AdministratorResult = { readonly userId: string; readonly created: boolean };

export const signUp = async (command: SignUp, deps: IdentityDependencies): Promise<AuthResult> => {
  const email = normaliseEmail(command.email);
  const name = checkName(command.name);
  checkPasswordPolicy(command.password);
  const passwordHash = await deps.hasher.hash(command.password);
  const now = deps.clock.now();
  const user = registerUser({ id: deps.ids(), email, name, passwordHash, roles: [MEMBER_ROLE], now });
  const { session, refreshToken } = prepareSession(deps, user.id, now);
  // READ COMMITTED is enough: of two sign-ups racing for one email the unique index lets one insert; the
  // loser's save fails as a concurrent update, and its retry finds the winner's account here.
  await deps.uow.transaction('READ COMMITTED', async ({ users, sessions }) => {
    if (await users.findByEmail(email)) throw emailTaken();
    await users.save(user);
    await sessions.save(session);
  });
  return authResult(deps, session, refreshToken);
};

/**
 * No user enumeration: an unknown (or malformed) email, a wrong password and a locked account fail with the same
 * error after exactly one password verification each (against a dummy hash when there is no account).
 */
export const logIn = async (command: LogIn, deps: IdentityDependencies): Promise<AuthResult> => {
  const { uow, hasher, clock, policy } = deps;
  const email = emailOrNull(command.email);
  const user = email === null ? null : await uow.transaction('READ COMMITTED', ({ users }) => users.findByEmail(email));
  const passwordMatches = await hasher.verify(user?.passwordHash ?? hasher.dummyHash, command.password);
  const now = clock.now();
  // A locked account is refused even with the right password, and the lock is neither reset nor revealed.
  if (!user || isLocked(user, now)) throw invalidCredentials();

  if (!passwordMatches) {
    // Reloaded in the transaction so that parallel failures count one by one (the version check retries them).
    // Failures while locked are not counted: a burst of them would push the lock to its 24-hour cap at once.
    await uow.transaction('READ COMMITTED', async ({ users }) => {
      const current = await users.get(user.id);
      if (current && !isLocked(current, now)) await users.save(recordFailedLogin(current, now, policy));
    });
    throw invalidCredentials();
  }

  const rehashed = hasher.needsRehash(user.passwordHash) ? await hasher.hash(command.password) : null;
  const { session, refreshToken } = prepareSession(deps, user.id, now);
  const admitted = await uow.transaction('READ COMMITTED', async ({ users, sessions }) => {
    const current = await users.get(user.id);
    // Changed since we verified (new password, or a parallel failure locked it): what we checked no longer holds.
    if (!current || current.passwordHash !== user.passwordHash || isLocked(current, now)) return false;
    // Saved only when something changes, so logins from several devices do not contend for the user's row.
    if (rehashed !== null || current.failedLogins > 0 || current.lockedUntil !== null) {
      await users.save(recordSuccessfulLogin(current, rehashed));
    }
    await sessions.save(session);
    return true;
  });
  if (!admitted) throw invalidCredentials();
  return authResult(deps, session, refreshToken);
};

export const refreshSession = async (command: RefreshSession, deps: IdentityDependencies): Promise<AuthResult> => {
  const { uow, clock, refreshTokens } = deps;
  const presented = refreshTokens.hash(command.refreshToken);
  const refreshToken = refreshTokens.generate();
  const nextHash = refreshTokens.hash(refreshToken);
  const now = clock.now();
  // REPEATABLE READ: of two parallel refreshes of one token only one rotation commits. The loser conflicts, is
  // retried by the unit of work, finds the token retired and so treats it as a replay: the whole family is revoked,
  // the winner's new token included. That is RFC 9700 (section 4.14.2) at its strictest: a client racing itself
  // looks exactly like a thief racing the client, so clients must not refresh one token twice in parallel.
  const rotated = await uow.transaction('REPEATABLE READ', async ({ sessions }) => {
    const found = await sessions.findByTokenHash(presented);
    if (found?.status === 'retired') {
      await sessions.save(revokeForReuse(found.session, now));
      return null;
    }
    if (!found || !isUsable(found.session, now)) return null;
    const next = rotate(found.session, nextHash);
    await sessions.save(next);
    return next;
  });
  // Thrown only now, after commit, so that a replay's revocation sticks.
  if (!rotated) throw invalidRefreshToken();
  return authResult(deps, rotated, refreshToken);
};

/** True when the token's session is now revoked; false for a token this server never issued. */
export const logOut = async (
  command: LogOut,
  { uow, clock, refreshTokens }: IdentityDependencies,
): Promise<boolean> => {
  const presented = refreshTokens.hash(command.refreshToken);
  const now = clock.now();
  // A retired token of the family logs it out too: revoking is never the dangerous direction.
  return uow.transaction('READ COMMITTED', async ({ sessions }) => {
    const found = await sessions.findByTokenHash(presented);
    if (!found) return false;
    const revoked = revokeForLogOut(found.session, now);
    if (revoked !== found.session) await sessions.save(revoked);
    return true;
  });
};

/**
 * The id of the account with this email, after making sure it holds the admin and member roles; null when there is
 * none. Member too, so the administrator is an ordinary account as well (an account older than the member role, or
 * one that later loses admin, still reads its own account).
 */
const promoteExisting = async (users: UserRepository, email: string): Promise<string | null> => {
  const user = await users.findByEmail(email);
  if (!user) return null;
  const admin = withRole(withRole(user, ADMIN_ROLE), MEMBER_ROLE);
  if (admin !== user) await users.save(admin);
  return user.id;
};

/**
 * Idempotent, run at every start-up. The input is checked every time, so a bad configured password fails the
 * first boot and every later one alike; the password is hashed only when the account is actually created.
 */
export const ensureAdministrator = async (
  command: EnsureAdministrator,
  deps: IdentityDependencies,
): Promise<AdministratorResult> => {
  const email = normaliseEmail(command.email);
  const name = checkName(command.name);
  checkPasswordPolicy(command.password);
  const existing = await deps.uow.transaction('READ COMMITTED', ({ users }) => promoteExisting(users, email));
  if (existing !== null) return { userId: existing, created: false };

  const passwordHash = await deps.hasher.hash(command.password);
  const roles = [ADMIN_ROLE, MEMBER_ROLE];
  const admin = registerUser({ id: deps.ids(), email, name, passwordHash, roles, now: deps.clock.now() });
  return deps.uow.transaction('READ COMMITTED', async ({ users }) => {
    // Another instance starting at the same moment may have created it since; then promote theirs.
    const raced = await promoteExisting(users, email);
    if (raced !== null) return { userId: raced, created: false };
    await users.save(admin);
    return { userId: admin.id, created: true };
  });
};

export const identityCommandHandlers = {
  SignUp: signUp,
  LogIn: logIn,
  RefreshSession: refreshSession,
  LogOut: logOut,
  EnsureAdministrator: ensureAdministrator,
  RequestPasswordReset: requestPasswordReset,
  ResetPassword: resetPassword,
  ChangePassword: changePassword,
};

/** No in-process subscribers yet; security notifications (AccountLocked, RefreshTokenReused) will listen here. */
export const identityEventHandlers = {};

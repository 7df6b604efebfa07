import type { ChangePassword, RequestPasswordReset, ResetPassword } from '../domain/commands.ts';
import {
  invalidCredentials,
  invalidResetToken,
  samePassword,
  samePasswordLinkSpent,
  wrongCurrentPassword,
} from '../domain/errors.ts';
import { isRedeemable, mayMailAnother, openPasswordReset } from '../domain/password-reset.ts';
import { checkPasswordPolicy, isLocked, recordFailedLogin, setPassword } from '../domain/user.ts';
import type { AuthResult, IdentityDependencies } from './ports.ts';
import { authResult, emailOrNull, prepareSession } from './sign-in.ts';

// As for log-in, argon2 never runs inside a transaction, and every transaction re-reads what it decides on.

/**
 * Always true. A known account gets a new reset (older ones revoked) and, through the outbox, one email, whose job
 * mints the link's token (tasks.ts); an unknown or malformed email gets nothing. A request within the email interval
 * of the last one mails nothing.
 *
 * No enumeration by timing: no password is involved, so there is no slow step to mirror with a dummy hash, but the
 * known path commits a write (a reset, a job: a WAL flush) where the unknown one only reads, several milliseconds
 * apart. So both answer no sooner than `passwordResetMinResponseMs` after the request arrived.
 */
export const requestPasswordReset = async (
  command: RequestPasswordReset,
  deps: IdentityDependencies,
): Promise<boolean> => {
  const { uow, clock, ids, policy, sleep } = deps;
  const arrivedAt = clock.now().getTime();
  const email = emailOrNull(command.email);
  // Taken either way, so both paths do the same work before the transaction (and a retry reuses it).
  const resetId = ids();
  const now = clock.now();
  await uow.transaction('READ COMMITTED', async ({ users, passwordResets }) => {
    const user = email === null ? null : await users.findByEmail(email);
    if (!user) return;
    // Locks the account's requests: of two at once, the second sees the first's reset and mails nothing.
    if (!mayMailAnother(await passwordResets.lastIssuedFor(user.id), now, policy)) return;
    await passwordResets.deleteExpiredOf(user.id, now);
    await passwordResets.revokeAllOf(user.id, now);
    const opened = openPasswordReset({
      id: resetId,
      userId: user.id,
      email: user.email,
      now,
      ttlMs: policy.passwordResetTtlMs,
    });
    await passwordResets.add(opened);
  });
  const left = arrivedAt + policy.passwordResetMinResponseMs - clock.now().getTime();
  if (left > 0) await sleep(left);
  return true;
};

/**
 * Spends the token, sets the password, ends every session and every other link of the account, clears any lock,
 * and signs in with a new session. A dead link costs one query and no hashing. The current password is refused and
 * spends the link, so a link cannot be used to test guesses of the old password (whoever typed it can log in).
 */
export const resetPassword = async (command: ResetPassword, deps: IdentityDependencies): Promise<AuthResult> => {
  const { uow, clock, hasher, resetTokens } = deps;
  checkPasswordPolicy(command.newPassword, 'newPassword');
  const presented = resetTokens.hash(command.token);
  const checkedAt = clock.now();
  const holder = await uow.transaction('READ COMMITTED', async ({ users, passwordResets }) => {
    const found = await passwordResets.findByHash(presented);
    return found && isRedeemable(found, checkedAt) ? users.get(found.userId) : null;
  });
  if (!holder) throw invalidResetToken();

  if (await hasher.verify(holder.passwordHash, command.newPassword)) {
    const spent = await uow.transaction('READ COMMITTED', async ({ passwordResets }) => {
      const found = await passwordResets.findByHash(presented);
      if (!found || !isRedeemable(found, checkedAt)) return false;
      await passwordResets.markUsed(presented, checkedAt);
      return true;
    });
    throw spent ? samePasswordLinkSpent() : invalidResetToken();
  }

  const passwordHash = await hasher.hash(command.newPassword);
  const now = clock.now();
  const { session, refreshToken } = prepareSession(deps, holder.id, now);
  // Re-checked here: of two redemptions at once, markUsed lets one through; the other is retried and finds it used.
  const opened = await uow.transaction('READ COMMITTED', async ({ users, sessions, passwordResets }) => {
    const found = await passwordResets.findByHash(presented);
    const user = found && isRedeemable(found, now) ? await users.get(found.userId) : null;
    if (!user) return null;
    await passwordResets.markUsed(presented, now);
    await passwordResets.revokeAllOf(user.id, now);
    await users.save(setPassword(user, passwordHash, 'reset'));
    await sessions.revokeAllOf(user.id, now);
    await sessions.save(session);
    return session;
  });
  if (!opened) throw invalidResetToken();
  return authResult(deps, opened, refreshToken);
};

/**
 * The signed-in user's new password, proven by the current one. A wrong current password counts toward the log-in
 * lockout (a stolen access token must not be an unlimited password oracle), and while the account is locked even
 * the right one is refused, as by logIn. Every session (refresh-token family) and reset link of the account ends,
 * and with the sessions every access token already issued, the caller's included (the shell checks the session of
 * each request's token).
 */
export const changePassword = async (command: ChangePassword, deps: IdentityDependencies): Promise<boolean> => {
  const { uow, hasher, clock, policy } = deps;
  checkPasswordPolicy(command.newPassword, 'newPassword');
  const user = await uow.transaction('READ COMMITTED', ({ users }) => users.get(command.userId));
  if (!user) throw invalidCredentials();
  const matches = await hasher.verify(user.passwordHash, command.currentPassword);
  const now = clock.now();
  if (isLocked(user, now)) throw wrongCurrentPassword();
  if (!matches) {
    await uow.transaction('READ COMMITTED', async ({ users }) => {
      const current = await users.get(user.id);
      if (current && !isLocked(current, now)) await users.save(recordFailedLogin(current, now, policy));
    });
    throw wrongCurrentPassword();
  }
  if (command.newPassword === command.currentPassword) throw samePassword();

  const passwordHash = await hasher.hash(command.newPassword);
  const changedAt = clock.now();
  const changed = await uow.transaction('READ COMMITTED', async ({ users, sessions, passwordResets }) => {
    const current = await users.get(user.id);
    // Changed since we verified (another change, or parallel failures locked it): what we checked no longer holds.
    if (!current || current.passwordHash !== user.passwordHash || isLocked(current, changedAt)) return false;
    await users.save(setPassword(current, passwordHash, 'change'));
    await sessions.revokeAllOf(user.id, changedAt);
    await passwordResets.revokeAllOf(user.id, changedAt);
    return true;
  });
  if (!changed) throw wrongCurrentPassword();
  return true;
};

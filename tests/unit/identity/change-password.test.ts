import type { ChangePassword } from '../../../src/identity/domain/commands.ts';
import {
  identityApplication,
  logInCommand,
  rejectionOf,
  signUpCommand,
  visible,
} from '../../fakes/identity/identity-application.ts';

const WRONG_PASSWORD = {
  class: 'DomainError',
  name: 'WrongPassword',
  category: 'InvalidInput',
  message: 'currentPassword is not the current password',
  details: { field: 'currentPassword' },
};

/** Ada signed up (locked after 3 failures, for a minute at first) and holding a second session. */
const withAda = async () => {
  const app = identityApplication({ policy: { maxFailures: 3, lockoutMs: 60_000 } });
  const { userId, refreshToken } = await app.bus.execute(signUpCommand());
  const second = await app.bus.execute(logInCommand());
  const change = (overrides: Partial<ChangePassword> = {}): ChangePassword => ({
    type: 'ChangePassword',
    userId,
    currentPassword: 'correct horse',
    newPassword: 'a brand new secret',
    ...overrides,
  });
  const ada = () => app.store.users.get(userId);
  return { ...app, userId, refreshTokens: [refreshToken, second.refreshToken], change, ada };
};

describe('changing the password (ChangePassword)', () => {
  it('sets the new password: it logs in, the old one no longer does', async () => {
    const { bus, change, userId } = await withAda();

    await expect(bus.execute(change())).resolves.toBe(true);

    await expect(bus.execute(logInCommand({ password: 'a brand new secret' }))).resolves.toMatchObject({ userId });
    expect(visible(await rejectionOf(bus.execute(logInCommand())))).toMatchObject({ name: 'InvalidCredentials' });
  });

  it('ends every session of the account, the caller’s included: no refresh token works any more', async () => {
    const { bus, store, change, refreshTokens } = await withAda();

    await bus.execute(change());

    expect([...store.sessions.values()].every((session) => session.revokedAt !== null)).toBe(true);
    for (const refreshToken of refreshTokens) {
      expect(visible(await rejectionOf(bus.execute({ type: 'RefreshSession', refreshToken })))).toMatchObject({
        name: 'InvalidRefreshToken',
      });
    }
  });

  it('revokes the account’s outstanding reset links and commits PasswordChanged (how: change)', async () => {
    const { bus, store, change, userId } = await withAda();
    await bus.execute({ type: 'RequestPasswordReset', email: 'ada@example.com' });

    await bus.execute(change());

    expect(store.passwordResets.rows.get('rh:reset-1')?.revokedAt).not.toBeNull();
    expect(store.committedEvents.at(-1)).toEqual({ type: 'PasswordChanged', userId, how: 'change' });
    expect(
      visible(
        await rejectionOf(bus.execute({ type: 'ResetPassword', token: 'reset-1', newPassword: 'another secret' })),
      ),
    ).toMatchObject({
      name: 'InvalidResetToken',
    });
  });

  it('refuses a wrong current password (BAD_USER_INPUT on currentPassword) and changes nothing', async () => {
    const { bus, change, ada } = await withAda();
    const before = ada()?.passwordHash;

    const wrong = await rejectionOf(bus.execute(change({ currentPassword: 'not my password' })));

    expect(visible(wrong)).toEqual(WRONG_PASSWORD);
    expect(ada()?.passwordHash).toBe(before);
    await expect(bus.execute(logInCommand())).resolves.toMatchObject({ refreshToken: expect.any(String) });
  });

  it('counts wrong current passwords toward the log-in lockout, and while locked refuses even the right one alike', async () => {
    const { bus, change, ada, store } = await withAda();

    for (let i = 0; i < 3; i += 1) await rejectionOf(bus.execute(change({ currentPassword: 'not my password' })));

    expect(ada()).toMatchObject({ failedLogins: 3, lockedUntil: expect.any(Date) });
    expect(visible(await rejectionOf(bus.execute(logInCommand())))).toMatchObject({ name: 'InvalidCredentials' });
    const right = await rejectionOf(bus.execute(change()));
    expect(visible(right)).toEqual(WRONG_PASSWORD);
    expect(store.committedEvents.filter((event) => event.type === 'PasswordChanged')).toEqual([]);
  });

  it('refuses the current password as the new one (BAD_USER_INPUT on newPassword), without hashing', async () => {
    const { bus, change, hasher } = await withAda();
    const hashesBefore = hasher.hashCount;

    const same = await rejectionOf(bus.execute(change({ newPassword: 'correct horse' })));

    expect(visible(same)).toEqual({
      class: 'DomainError',
      name: 'SamePassword',
      category: 'InvalidInput',
      message: 'newPassword must differ from the current password',
      details: { field: 'newPassword' },
    });
    expect(hasher.hashCount).toBe(hashesBefore);
  });

  it('applies the sign-up password policy to the new password before verifying anything', async () => {
    const { bus, change, hasher } = await withAda();
    const verificationsBefore = hasher.verifyCount;

    for (const newPassword of ['seven77', 'x'.repeat(129)]) {
      const refused = await rejectionOf(bus.execute(change({ newPassword })));
      expect(visible(refused)).toMatchObject({ category: 'InvalidInput', details: { field: 'newPassword' } });
    }
    expect(hasher.verifyCount).toBe(verificationsBefore);
  });

  it('resets the failure count on success', async () => {
    const { bus, change, ada } = await withAda();
    await rejectionOf(bus.execute(change({ currentPassword: 'not my password' })));

    await bus.execute(change());

    expect(ada()).toMatchObject({ failedLogins: 0, lockedUntil: null });
  });

  it('hashes outside any transaction', async () => {
    const { bus, change, hasher, store } = await withAda();
    const seen: boolean[] = [];
    hasher.onHash = () => seen.push(store.inTransaction);

    await bus.execute(change());

    expect(seen).toEqual([false]);
  });

  it('of two changes at once with the same current password, exactly one succeeds', async () => {
    const { bus, change } = await withAda();

    const outcomes = await Promise.allSettled([
      bus.execute(change({ newPassword: 'first new secret' })),
      bus.execute(change({ newPassword: 'second new secret' })),
    ]);

    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
  });
});

import type { RequestPasswordReset, ResetPassword } from '../../../src/identity/domain/commands.ts';
import type { PasswordResetRequested } from '../../../src/identity/domain/events.ts';
import { FAKE_IDENTITY_POLICY } from '../../fakes/identity/fake-identity-dependencies.ts';
import {
  identityApplication,
  logInCommand,
  rejectionOf,
  signUpCommand,
  visible,
} from '../../fakes/identity/identity-application.ts';

const request = (email = 'ada@example.com'): RequestPasswordReset => ({ type: 'RequestPasswordReset', email });
const reset = (token: string, newPassword = 'a brand new secret'): ResetPassword => ({
  type: 'ResetPassword',
  token,
  newPassword,
});

const INVALID_RESET_TOKEN = {
  class: 'DomainError',
  name: 'InvalidResetToken',
  category: 'Unauthenticated',
  message: 'Invalid or expired password reset link; request a new one',
  details: {},
};
const TTL = FAKE_IDENTITY_POLICY.passwordResetTtlMs;
const INTERVAL = FAKE_IDENTITY_POLICY.passwordResetEmailIntervalMs;

/** Ada signed up (policy: locked after 3 failures), with her first refresh token. */
const withAda = async () => {
  const app = identityApplication();
  const { userId, refreshToken } = await app.bus.execute(signUpCommand());
  const requested = () =>
    app.store.committedEvents.filter(
      (event): event is PasswordResetRequested => event.type === 'PasswordResetRequested',
    );
  return { ...app, userId, refreshToken, requested };
};

describe('requesting a password reset (RequestPasswordReset)', () => {
  it('stores a new reset for a known account, with no token yet, and commits the event that mails it: nothing secret', async () => {
    const { bus, store, clock, userId, requested, resetTokens } = await withAda();

    await expect(bus.execute(request('  ADA@Example.com '))).resolves.toBe(true);

    const resetId = requested()[0]?.resetId;
    expect([...store.passwordResets.rows.values()]).toEqual([
      {
        id: resetId,
        tokenHash: null,
        userId,
        expiresAt: new Date(clock.now().getTime() + TTL),
        usedAt: null,
        revokedAt: null,
        createdAt: clock.now(),
        events: [],
      },
    ]);
    expect(requested()).toEqual([
      {
        type: 'PasswordResetRequested',
        userId,
        email: 'ada@example.com',
        resetId,
        expiresAt: new Date(clock.now().getTime() + TTL).toISOString(),
      },
    ]);
    // The token is minted when the email is sent (the job), never before.
    expect(resetTokens.generated).toBe(0);
  });

  it('the email job mints the token, keeps its hash only, and mails the link once', async () => {
    const { bus, store, deliverResetEmails, requested } = await withAda();
    await bus.execute(request());

    expect(await deliverResetEmails()).toEqual(['reset-1']);
    expect(await deliverResetEmails()).toEqual([]);

    expect(store.passwordResets.rows.get(requested()[0]!.resetId)?.tokenHash).toBe('rh:reset-1');
    await expect(bus.execute(reset('reset-1'))).resolves.toMatchObject({ accessToken: expect.any(String) });
  });

  it('a reset superseded before its email went out is never mailed; the newer one is', async () => {
    const { bus, clock, deliverResetEmails } = await withAda();
    await bus.execute(request());
    clock.advance(INTERVAL);
    await bus.execute(request());

    expect(await deliverResetEmails()).toEqual(['reset-1']);
    await expect(bus.execute(reset('reset-1'))).resolves.toMatchObject({ accessToken: expect.any(String) });
  });

  it.each([
    ['an unknown email', 'nobody@example.com'],
    ['a malformed email', 'not an email'],
  ])(
    'answers %s with the same true after the same work, storing nothing and raising no event',
    async (_case, email) => {
      const { bus, store, resetTokens, requested } = await withAda();
      const transactionsBefore = store.isolationLevels.length;

      await expect(bus.execute(request(email))).resolves.toBe(true);

      expect(store.passwordResets.rows.size).toBe(0);
      expect(requested()).toEqual([]);
      // What a known account costs too: no token, one transaction.
      expect({ generated: resetTokens.generated, hashed: resetTokens.hashed }).toEqual({ generated: 0, hashed: 0 });
      expect(store.isolationLevels.length - transactionsBefore).toBe(1);
    },
  );

  it('does the same work for a known account as for an unknown one', async () => {
    const { bus, store, resetTokens, hasher } = await withAda();
    const transactionsBefore = store.isolationLevels.length;
    const hashingBefore = hasher.hashCount + hasher.verifyCount;

    await bus.execute(request());

    expect({ generated: resetTokens.generated, hashed: resetTokens.hashed }).toEqual({ generated: 0, hashed: 0 });
    expect(store.isolationLevels.length - transactionsBefore).toBe(1);
    expect(hasher.hashCount + hasher.verifyCount).toBe(hashingBefore);
  });

  it('answers no sooner than the response floor after the request arrived, known account or not', async () => {
    const { bus, slept } = await withAda();

    await bus.execute(request());
    await bus.execute(request('nobody@example.com'));

    // The fake clock stands still: the whole floor is left to wait, on both paths.
    expect(slept).toEqual([
      FAKE_IDENTITY_POLICY.passwordResetMinResponseMs,
      FAKE_IDENTITY_POLICY.passwordResetMinResponseMs,
    ]);
  });

  it('waits only what is left of the floor, and not at all with a floor of 0', async () => {
    const slow = identityApplication();
    // Every reading of the clock is 50 ms after the previous one: the handler reads it on arrival, for the
    // transaction, and when it is done, so 100 ms have passed by then.
    const start = slow.clock.now().getTime();
    let readings = 0;
    slow.clock.now = () => new Date(start + 50 * readings++);
    await slow.bus.execute(request('nobody@example.com'));
    const none = identityApplication({ policy: { passwordResetMinResponseMs: 0 } });
    await none.bus.execute(request('nobody@example.com'));

    expect(slow.slept).toEqual([FAKE_IDENTITY_POLICY.passwordResetMinResponseMs - 100]);
    expect(none.slept).toEqual([]);
  });

  it('mails nothing for a second request within the email interval; the first link stays the one that works', async () => {
    const { bus, store, clock, requested, deliverResetEmails } = await withAda();
    await bus.execute(request());
    expect(await deliverResetEmails()).toEqual(['reset-1']);
    clock.advance(INTERVAL - 1);

    await expect(bus.execute(request())).resolves.toBe(true);

    expect(requested()).toHaveLength(1);
    expect(await deliverResetEmails()).toEqual([]);
    expect(store.passwordResets.byHash('rh:reset-1')?.revokedAt).toBeNull();
    await expect(bus.execute(reset('reset-1'))).resolves.toMatchObject({ refreshToken: expect.any(String) });
  });

  it('after the interval issues a new link and revokes the older one', async () => {
    const { bus, store, clock, requested, deliverResetEmails } = await withAda();
    await bus.execute(request());
    expect(await deliverResetEmails()).toEqual(['reset-1']);
    clock.advance(INTERVAL);

    await bus.execute(request());

    expect(requested()).toHaveLength(2);
    expect(await deliverResetEmails()).toEqual(['reset-2']);
    expect(store.passwordResets.byHash('rh:reset-1')?.revokedAt).toEqual(clock.now());
    expect(visible(await rejectionOf(bus.execute(reset('reset-1'))))).toEqual(INVALID_RESET_TOKEN);
    await expect(bus.execute(reset('reset-2'))).resolves.toMatchObject({ accessToken: expect.any(String) });
  });

  it('of two requests at once for one account, mails once', async () => {
    const { bus, requested } = await withAda();

    await Promise.all([bus.execute(request()), bus.execute(request())]);

    expect(requested()).toHaveLength(1);
  });

  it('forgets the account’s expired tokens when it issues a new one', async () => {
    const { bus, store, clock, requested } = await withAda();
    await bus.execute(request());
    clock.advance(TTL + 1);

    await bus.execute(request());

    expect([...store.passwordResets.rows.keys()]).toEqual([requested()[1]?.resetId]);
  });

  it('issues a link for a locked account too: resetting is the way out of a lock', async () => {
    const { bus, requested } = await withAda();
    for (let i = 0; i < 3; i += 1) await rejectionOf(bus.execute(logInCommand({ password: 'wrong password' })));

    await bus.execute(request());

    expect(requested()).toHaveLength(1);
  });
});

describe('resetting the password with a link (ResetPassword)', () => {
  /** Ada requested a reset, and its email (with the token reset-1) went out. */
  const requestedFor = async () => {
    const app = await withAda();
    await app.bus.execute(request());
    expect(await app.deliverResetEmails()).toEqual(['reset-1']);
    return app;
  };

  it('sets the new password and signs in with a new session: the new password logs in, the old one no longer', async () => {
    const { bus, store, userId, accessTokens } = await requestedFor();

    const result = await bus.execute(reset('reset-1', 'a brand new secret'));

    const session = [...store.sessions.values()].at(-1);
    expect(result).toEqual({
      userId,
      accessToken: `access:${userId}:${session?.id}:2`,
      refreshToken: 'refresh-2',
      expiresIn: 900,
    });
    expect(accessTokens.issued.at(-1)).toEqual({ userId, sessionId: session?.id });
    expect(session?.revokedAt).toBeNull();
    await expect(bus.execute(logInCommand({ password: 'a brand new secret' }))).resolves.toMatchObject({ userId });
    expect(visible(await rejectionOf(bus.execute(logInCommand())))).toMatchObject({ name: 'InvalidCredentials' });
  });

  it('ends every other session of the account: their refresh tokens stop working', async () => {
    const { bus, refreshToken } = await requestedFor();
    const other = await bus.execute(logInCommand());

    await bus.execute(reset('reset-1'));

    for (const token of [refreshToken, other.refreshToken]) {
      expect(visible(await rejectionOf(bus.execute({ type: 'RefreshSession', refreshToken: token })))).toMatchObject({
        name: 'InvalidRefreshToken',
      });
    }
  });

  it('commits PasswordChanged (how: reset) and marks the token used', async () => {
    const { bus, store, clock, userId } = await requestedFor();

    await bus.execute(reset('reset-1'));

    expect(store.committedEvents.at(-1)).toEqual({ type: 'PasswordChanged', userId, how: 'reset' });
    expect(store.passwordResets.byHash('rh:reset-1')?.usedAt).toEqual(clock.now());
  });

  it('a link works once', async () => {
    const { bus } = await requestedFor();
    await bus.execute(reset('reset-1'));

    const again = await rejectionOf(bus.execute(reset('reset-1', 'yet another secret')));

    expect(visible(again)).toEqual(INVALID_RESET_TOKEN);
  });

  it('of two redemptions of one link at once, exactly one succeeds', async () => {
    const { bus } = await requestedFor();

    const outcomes = await Promise.allSettled([
      bus.execute(reset('reset-1', 'first new secret')),
      bus.execute(reset('reset-1', 'second new secret')),
    ]);

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
  });

  it('works until the link expires, not after', async () => {
    const early = await requestedFor();
    early.clock.advance(TTL - 1);
    await expect(early.bus.execute(reset('reset-1'))).resolves.toMatchObject({ userId: early.userId });

    const late = await requestedFor();
    late.clock.advance(TTL);
    expect(visible(await rejectionOf(late.bus.execute(reset('reset-1'))))).toEqual(INVALID_RESET_TOKEN);
  });

  it('answers an unknown, expired, used or superseded link alike, without hashing anything', async () => {
    const { bus, clock, hasher, deliverResetEmails } = await requestedFor();
    await bus.execute(reset('reset-1'));
    clock.advance(INTERVAL);
    await bus.execute(request());
    await deliverResetEmails();
    clock.advance(INTERVAL);
    await bus.execute(request());
    await deliverResetEmails();
    clock.advance(TTL);
    const before = hasher.hashCount + hasher.verifyCount;

    const refusals = await Promise.all(
      ['never-issued', 'reset-1', 'reset-2', 'reset-3'].map((token) => rejectionOf(bus.execute(reset(token)))),
    );

    expect(refusals.map(visible)).toEqual(Array(4).fill(INVALID_RESET_TOKEN));
    expect(hasher.hashCount + hasher.verifyCount).toBe(before);
  });

  it('refuses a password against the policy (field newPassword) before looking at the link, which still works', async () => {
    const { bus, resetTokens } = await requestedFor();
    const hashedBefore = resetTokens.hashed;

    const short = await rejectionOf(bus.execute(reset('reset-1', 'seven77')));

    expect(visible(short)).toMatchObject({ category: 'InvalidInput', details: { field: 'newPassword' } });
    expect(resetTokens.hashed).toBe(hashedBefore);
    await expect(bus.execute(reset('reset-1'))).resolves.toMatchObject({ accessToken: expect.any(String) });
  });

  it('refuses the current password (BAD_USER_INPUT on newPassword) and uses the link up, so it cannot test guesses', async () => {
    const { bus, store } = await requestedFor();

    const same = await rejectionOf(bus.execute(reset('reset-1', 'correct horse')));

    expect(visible(same)).toMatchObject({
      name: 'SamePassword',
      category: 'InvalidInput',
      details: { field: 'newPassword' },
    });
    expect(store.passwordResets.byHash('rh:reset-1')?.usedAt).not.toBeNull();
    expect(visible(await rejectionOf(bus.execute(reset('reset-1'))))).toEqual(INVALID_RESET_TOKEN);
    await expect(bus.execute(logInCommand())).resolves.toMatchObject({ refreshToken: expect.any(String) });
  });

  it('unlocks a locked account', async () => {
    const { bus, store, userId } = await requestedFor();
    for (let i = 0; i < 3; i += 1) await rejectionOf(bus.execute(logInCommand({ password: 'wrong password' })));
    expect(store.users.get(userId)?.lockedUntil).not.toBeNull();

    await bus.execute(reset('reset-1'));

    expect(store.users.get(userId)).toMatchObject({ failedLogins: 0, lockedUntil: null });
    await expect(bus.execute(logInCommand({ password: 'a brand new secret' }))).resolves.toMatchObject({ userId });
  });

  it('revokes the account’s other outstanding links', async () => {
    const { bus, store, clock, deliverResetEmails } = await requestedFor();
    clock.advance(INTERVAL);
    await bus.execute(request());
    expect(await deliverResetEmails()).toEqual(['reset-2']);
    // A newer request already revoked reset-1; revived here, as if two links were live, to prove the reset revokes too.
    store.passwordResets.seed({ ...store.passwordResets.byHash('rh:reset-1')!, revokedAt: null });

    await bus.execute(reset('reset-2'));

    expect(store.passwordResets.byHash('rh:reset-1')?.revokedAt).toEqual(clock.now());
    expect(visible(await rejectionOf(bus.execute(reset('reset-1'))))).toEqual(INVALID_RESET_TOKEN);
  });

  it('hashes the new password outside any transaction', async () => {
    const { bus, store, hasher } = await requestedFor();
    const seen: boolean[] = [];
    hasher.onHash = () => seen.push(store.inTransaction);

    await bus.execute(reset('reset-1'));

    expect(seen).toEqual([false]);
  });
});

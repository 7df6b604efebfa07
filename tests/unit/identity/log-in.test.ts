import { DomainError } from '../../../src/core/errors.ts';
import { registerUser } from '../../../src/identity/domain/user.ts';
import { OUTDATED } from '../../fakes/identity/fake-password-hasher.ts';
import {
  identityApplication,
  logInCommand,
  rejectionOf,
  signUpCommand,
  visible,
} from '../../fakes/identity/identity-application.ts';

const INVALID_CREDENTIALS = {
  class: 'DomainError',
  name: 'InvalidCredentials',
  category: 'Unauthenticated',
  message: 'Invalid email or password',
  details: {},
};

/** An application with ada signed up (policy: locked after 3 failures, for a minute at first). */
const withAda = async () => {
  const app = identityApplication({ policy: { maxFailures: 3, lockoutMs: 60_000 } });
  const { userId } = await app.bus.execute(signUpCommand({ email: 'ada@example.com', password: 'correct horse' }));
  app.published.splice(0);
  /** Events committed since ada signed up (whether or not the bus delivered them). */
  const committedSince = app.store.committedEvents.length;
  const committed = () => app.store.committedEvents.slice(committedSince);
  const ada = () => app.store.users.get(userId);
  /** Runs `action` and answers how many password verifications it made. */
  const verificationsDuring = async (action: () => Promise<unknown>): Promise<number> => {
    const before = app.hasher.verifyCount;
    await action().catch(() => undefined);
    return app.hasher.verifyCount - before;
  };
  const failTimes = async (times: number) => {
    for (let i = 0; i < times; i += 1) await rejectionOf(app.bus.execute(logInCommand({ password: 'wrong password' })));
  };
  return { ...app, userId, ada, committed, verificationsDuring, failTimes };
};

describe('logging in (LogIn)', () => {
  it('answers the right password with tokens for a new session, after exactly one verification', async () => {
    const { bus, store, userId, verificationsDuring } = await withAda();
    let result: unknown;

    const verifications = await verificationsDuring(async () => (result = await bus.execute(logInCommand())));

    expect(verifications).toBe(1);
    const newest = [...store.sessions.values()].at(-1);
    expect(store.sessions.size).toBe(2);
    expect(result).toEqual({
      userId,
      accessToken: `access:${userId}:${newest?.id}:2`,
      refreshToken: 'refresh-2',
      expiresIn: 900,
    });
    expect(newest).toMatchObject({ userId, tokenHash: 'h:refresh-2' });
  });

  it('finds the account whatever the case and spacing of the email', async () => {
    const { bus, userId } = await withAda();

    await expect(bus.execute(logInCommand({ email: '  ADA@Example.com ' }))).resolves.toMatchObject({ userId });
  });

  it('fails an unknown email and a wrong password identically, after one verification each', async () => {
    const { bus, hasher, verificationsDuring } = await withAda();
    const unknown = bus.execute(logInCommand({ email: 'nobody@example.com' }));
    const wrong = bus.execute(logInCommand({ password: 'wrong password' }));

    const [unknownError, wrongError] = [await rejectionOf(unknown), await rejectionOf(wrong)];

    expect(unknownError).toBeInstanceOf(DomainError);
    expect(visible(unknownError)).toEqual(INVALID_CREDENTIALS);
    expect(visible(wrongError)).toEqual(visible(unknownError));
    expect(await verificationsDuring(() => bus.execute(logInCommand({ email: 'nobody@example.com' })))).toBe(1);
    expect(await verificationsDuring(() => bus.execute(logInCommand({ password: 'wrong password' })))).toBe(1);
    expect(hasher.verified.at(-2)).toBe(hasher.dummyHash);
  });

  it('treats a malformed email like an unknown one: same error, one verification against the dummy hash', async () => {
    const { bus, hasher, verificationsDuring } = await withAda();

    const error = await rejectionOf(bus.execute(logInCommand({ email: 'not an email' })));

    expect(visible(error)).toEqual(INVALID_CREDENTIALS);
    expect(await verificationsDuring(() => bus.execute(logInCommand({ email: 'not an email' })))).toBe(1);
    expect(hasher.verified.at(-1)).toBe(hasher.dummyHash);
  });

  it('counts a wrong password on the account, committed with LoginFailed before the caller hears of it', async () => {
    const { ada, userId, committed, failTimes } = await withAda();

    await failTimes(1);

    expect(ada()).toMatchObject({ failedLogins: 1, lockedUntil: null });
    expect(committed()).toEqual([{ type: 'LoginFailed', userId, failures: 1 }]);
  });

  it('locks the account at the third wrong password; then even the right one fails identically, after one verification', async () => {
    const { bus, ada, userId, committed, failTimes, verificationsDuring, store } = await withAda();

    await failTimes(3);
    const lockedAda = ada();
    const error = await rejectionOf(bus.execute(logInCommand()));

    expect(committed().map((event) => event.type)).toEqual([
      'LoginFailed',
      'LoginFailed',
      'LoginFailed',
      'AccountLocked',
    ]);
    expect(lockedAda?.lockedUntil).not.toBeNull();
    expect(visible(error)).toEqual(INVALID_CREDENTIALS);
    expect(await verificationsDuring(() => bus.execute(logInCommand()))).toBe(1);
    expect(ada()).toEqual(lockedAda); // the right password did not lift the lock
    expect([...store.sessions.values()].filter((session) => session.userId === userId)).toHaveLength(1);
  });

  it('does not count attempts while locked, so a burst of them cannot stretch the lock', async () => {
    const { ada, failTimes } = await withAda();
    await failTimes(3);
    const lockedAda = ada();

    await failTimes(5);

    expect(ada()).toEqual(lockedAda);
  });

  it('lets the right password in once the lock has run out, and starts the count over', async () => {
    const { bus, ada, userId, clock, failTimes } = await withAda();
    await failTimes(3);
    clock.advance(60_000);

    await expect(bus.execute(logInCommand())).resolves.toMatchObject({ userId });
    expect(ada()).toMatchObject({ failedLogins: 0, lockedUntil: null });
  });

  it('locks for twice as long at the first wrong password after a lock ran out', async () => {
    const { ada, clock, failTimes } = await withAda();
    await failTimes(3);
    clock.advance(60_000);

    await failTimes(1);

    expect(ada()?.lockedUntil).toEqual(new Date(clock.now().getTime() + 120_000));
  });

  it('a successful login resets the failure count, so earlier failures no longer bring a lock closer', async () => {
    const { bus, ada, userId, failTimes } = await withAda();
    await failTimes(2);

    await bus.execute(logInCommand());
    await failTimes(2);

    expect(ada()).toMatchObject({ failedLogins: 2, lockedUntil: null });
    await expect(bus.execute(logInCommand())).resolves.toMatchObject({ userId });
  });

  it('an ordinary login leaves the account row alone (logins from several devices do not contend)', async () => {
    const { bus, ada, hasher } = await withAda();
    const before = ada();

    await bus.execute(logInCommand());

    expect(ada()).toEqual(before);
    expect(hasher.hashCount).toBe(1); // the sign-up's, no rehash
  });

  it('replaces an outdated password hash at login, hashing outside the transaction', async () => {
    const { bus, store, hasher, clock } = identityApplication();
    store.seedUser(
      registerUser({
        id: 'old',
        email: 'old@example.com',
        name: 'Old',
        passwordHash: `${OUTDATED}pass word`,
        now: clock.now(),
      }),
    );
    const insideTransaction: boolean[] = [];
    hasher.onHash = () => insideTransaction.push(store.inTransaction);

    await bus.execute(logInCommand({ email: 'old@example.com', password: 'pass word' }));

    expect(store.users.get('old')?.passwordHash).toBe('fake$v1$pass word');
    expect(insideTransaction).toEqual([false]);
  });

  it.each([
    ['the right password opens no session', 'correct horse'],
    ['a wrong password is not counted on top of it', 'wrong password'],
  ])('when a parallel attempt locks the account during verification, %s', async (_name, password) => {
    const { bus, store, hasher, clock, ada, userId } = await withAda();
    const verify = hasher.verify.bind(hasher);
    hasher.verify = async (storedHash, attempt) => {
      const current = ada();
      const lockedUntil = new Date(clock.now().getTime() + 60_000);
      if (current) store.users.set(userId, { ...current, failedLogins: 3, lockedUntil, version: current.version + 1 });
      return verify(storedHash, attempt);
    };

    const error = await rejectionOf(bus.execute(logInCommand({ password })));

    expect(visible(error)).toEqual(INVALID_CREDENTIALS);
    expect(ada()).toMatchObject({ failedLogins: 3, version: 2 });
    expect(store.sessions.size).toBe(1);
  });

  it('opens no session when the password changed while the old one was being verified', async () => {
    const { bus, store, hasher, ada, userId } = await withAda();
    const verify = hasher.verify.bind(hasher);
    hasher.verify = async (storedHash, password) => {
      const current = ada();
      if (current)
        store.users.set(userId, { ...current, passwordHash: 'fake$v1$new password', version: current.version + 1 });
      return verify(storedHash, password);
    };

    const error = await rejectionOf(bus.execute(logInCommand({ password: 'correct horse' })));

    expect(visible(error)).toEqual(INVALID_CREDENTIALS);
    expect(store.sessions.size).toBe(1);
  });
});

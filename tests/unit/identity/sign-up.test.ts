import { MEMBER_ROLE } from '../../../src/identity/domain/user.ts';
import { identityApplication, rejectionOf, signUpCommand } from '../../fakes/identity/identity-application.ts';

describe('signing up (SignUp)', () => {
  it('creates the account under the normalised email, storing a hash of the password and never the password', async () => {
    const { bus, store } = identityApplication();

    const { userId } = await bus.execute(signUpCommand({ email: '  Ada@Example.COM ', name: ' Ada ' }));

    expect(store.users.get(userId)).toMatchObject({
      email: 'ada@example.com',
      name: 'Ada',
      passwordHash: 'fake$v1$correct horse',
      failedLogins: 0,
      version: 1,
    });
  });

  it('gives the new account the built-in member role and nothing more: it may read its own account', async () => {
    const { bus, store } = identityApplication();

    const { userId } = await bus.execute(signUpCommand());

    expect(store.users.get(userId)?.roles).toEqual([MEMBER_ROLE]);
  });

  it('signs the new account in: an access token for a new session, and a refresh token stored only as its hash', async () => {
    const { bus, store, accessTokens } = identityApplication();

    const result = await bus.execute(signUpCommand());

    const sessions = [...store.sessions.values()];
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({
      userId: result.userId,
      tokenHash: `h:${result.refreshToken}`,
      revokedAt: null,
    });
    expect(accessTokens.issued).toEqual([{ userId: result.userId, sessionId: sessions[0]?.id }]);
    expect(result).toEqual({
      userId: result.userId,
      accessToken: `access:${result.userId}:${sessions[0]?.id}:1`,
      refreshToken: 'refresh-1',
      expiresIn: 900,
    });
  });

  it('announces UserSignedUp once the account is committed', async () => {
    const { bus, published } = identityApplication();

    const { userId } = await bus.execute(signUpCommand());

    expect(published).toEqual([{ type: 'UserSignedUp', userId, email: 'ada@example.com' }]);
  });

  it('refuses an email that already has an account, whatever its case, on the email field', async () => {
    const { bus, store, published } = identityApplication();
    await bus.execute(signUpCommand({ email: 'ada@example.com' }));
    published.splice(0);

    const error = await rejectionOf(bus.execute(signUpCommand({ email: ' ADA@example.com', name: 'Impostor' })));

    expect(error).toMatchObject({
      category: 'InvalidInput',
      name: 'EmailTaken',
      message: 'An account with this email already exists',
      details: { field: 'email' },
    });
    expect([...store.users.values()].map((user) => user.name)).toEqual(['Ada']);
    expect(store.sessions.size).toBe(1);
    expect(published).toEqual([]);
  });

  it.each([
    ['a malformed email', { email: 'ada.example.com' }, 'email'],
    ['a blank name', { name: '   ' }, 'name'],
    ['a 7-character password', { password: 'seven77' }, 'password'],
  ])('refuses %s on its field, before hashing or touching the store', async (_name, overrides, field) => {
    const { bus, store, hasher } = identityApplication();

    const error = await rejectionOf(bus.execute(signUpCommand(overrides)));

    expect(error).toMatchObject({ category: 'InvalidInput', details: { field } });
    expect(hasher.hashCount).toBe(0);
    expect(store.attemptCount).toBe(0);
  });

  it('hashes the password once, outside the transaction, even when the transaction is retried', async () => {
    const { bus, store, hasher, published } = identityApplication();
    const insideTransaction: boolean[] = [];
    hasher.onHash = () => insideTransaction.push(store.inTransaction);
    store.failNextSave();

    await bus.execute(signUpCommand());

    expect(store.attemptCount).toBe(2);
    expect(insideTransaction).toEqual([false]);
    expect(published.map((event) => event.type)).toEqual(['UserSignedUp']);
  });

  it('when someone else takes the email between our check and our insert, the retry reports EmailTaken', async () => {
    const { bus, store } = identityApplication();
    await bus.execute(signUpCommand({ email: 'first@example.com' }));
    const other = [...store.users.values()][0];
    if (!other) throw new Error('the first account should exist');
    store.beforeNextSave(() => {
      // Another connection commits an account with ada's email while our transaction is between check and insert.
      store.users.set('rival', { ...other, id: 'rival', email: 'ada@example.com' });
    });

    const error = await rejectionOf(bus.execute(signUpCommand({ email: 'ada@example.com' })));

    expect(error).toMatchObject({ name: 'EmailTaken', details: { field: 'email' } });
    expect(store.attemptCount).toBe(3); // the first sign-up, our attempt that lost, and its retry
    expect([...store.users.keys()].sort()).toEqual([other.id, 'rival'].sort());
  });

  it('of two sign-ups with one email at the same time, exactly one gets the account', async () => {
    const { bus, store } = identityApplication();

    const outcomes = await Promise.allSettled([
      bus.execute(signUpCommand({ name: 'One' })),
      bus.execute(signUpCommand({ name: 'Two' })),
    ]);

    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(outcomes.find((outcome) => outcome.status === 'rejected')).toMatchObject({ reason: { name: 'EmailTaken' } });
    expect(store.users.size).toBe(1);
  });
});

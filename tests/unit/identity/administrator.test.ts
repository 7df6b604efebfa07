import type { EnsureAdministrator } from '../../../src/identity/domain/commands.ts';
import { ADMIN_ROLE, MEMBER_ROLE } from '../../../src/identity/domain/user.ts';
import {
  identityApplication,
  logInCommand,
  rejectionOf,
  signUpCommand,
} from '../../fakes/identity/identity-application.ts';

const ensureAdministrator = (overrides: Partial<EnsureAdministrator> = {}): EnsureAdministrator => ({
  type: 'EnsureAdministrator',
  email: 'root@example.com',
  password: 'admin password',
  name: 'Root',
  ...overrides,
});

describe('ensuring the administrator exists (EnsureAdministrator)', () => {
  it('creates the administrator, holding admin and member, on the first run and only finds it on the next', async () => {
    const { bus, store, hasher } = identityApplication();

    const first = await bus.execute(ensureAdministrator());
    const second = await bus.execute(ensureAdministrator());

    expect(first).toEqual({ userId: first.userId, created: true });
    expect(second).toEqual({ userId: first.userId, created: false });
    expect([...store.users.values()]).toEqual([
      expect.objectContaining({
        email: 'root@example.com',
        roles: [ADMIN_ROLE, MEMBER_ROLE],
        passwordHash: 'fake$v1$admin password',
      }),
    ]);
    expect(hasher.hashCount).toBe(1); // the second start-up pays for no hashing
  });

  it('creates it holding admin and member on the very first start-up, before any later run could promote it', async () => {
    const { bus, store } = identityApplication();

    const { userId } = await bus.execute(ensureAdministrator({ name: ' Root ' }));

    expect(store.users.get(userId)).toMatchObject({ name: 'Root', roles: [ADMIN_ROLE, MEMBER_ROLE] });
    expect(store.isolationLevels).toEqual(['READ COMMITTED', 'READ COMMITTED']);
  });

  it('opens no session and announces the new account once', async () => {
    const { bus, store, published } = identityApplication();

    const { userId } = await bus.execute(ensureAdministrator());
    await bus.execute(ensureAdministrator());

    expect(store.sessions.size).toBe(0);
    expect(published).toEqual([{ type: 'UserSignedUp', userId, email: 'root@example.com' }]);
  });

  it('lets the administrator log in with the configured password', async () => {
    const { bus } = identityApplication();
    const { userId } = await bus.execute(ensureAdministrator({ email: 'Root@Example.com ' }));

    await expect(
      bus.execute(logInCommand({ email: 'root@example.com', password: 'admin password' })),
    ).resolves.toMatchObject({
      userId,
    });
  });

  it('promotes an existing account with that email, keeping its password and its member role', async () => {
    const { bus, store } = identityApplication();
    const { userId } = await bus.execute(signUpCommand({ email: 'root@example.com', password: 'their own password' }));

    await expect(bus.execute(ensureAdministrator())).resolves.toEqual({ userId, created: false });

    expect(store.users.get(userId)).toMatchObject({
      roles: [MEMBER_ROLE, ADMIN_ROLE],
      passwordHash: 'fake$v1$their own password',
    });
  });

  it('refuses a password the policy refuses, before hashing or touching the store', async () => {
    const { bus, store, hasher } = identityApplication();

    const error = await rejectionOf(bus.execute(ensureAdministrator({ password: 'short' })));

    expect(error).toMatchObject({ category: 'InvalidInput', details: { field: 'password' } });
    expect(hasher.hashCount).toBe(0);
    expect(store.attemptCount).toBe(0);
  });

  it('hashes outside any transaction, and promotes the account another instance created meanwhile, member included', async () => {
    const { bus, store, hasher } = identityApplication();
    await bus.execute(signUpCommand({ email: 'someone@example.com' }));
    const template = [...store.users.values()][0];
    if (!template) throw new Error('the sign-up should have stored a user');
    const insideTransaction: boolean[] = [];
    hasher.onHash = () => {
      insideTransaction.push(store.inTransaction);
      // Another instance, starting at the same moment, commits the administrator account while we hash.
      store.users.set('theirs', { ...template, id: 'theirs', email: 'root@example.com', roles: [] });
    };

    await expect(bus.execute(ensureAdministrator())).resolves.toEqual({ userId: 'theirs', created: false });

    expect(insideTransaction).toEqual([false]);
    expect(store.users.get('theirs')?.roles).toEqual([ADMIN_ROLE, MEMBER_ROLE]);
    expect([...store.users.values()].filter((user) => user.email === 'root@example.com')).toHaveLength(1);
  });
});

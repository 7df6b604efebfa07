import { sql } from 'slonik';
import { ConcurrentUpdateError } from '../../../src/core/errors.ts';
import { createUserRepository } from '../../../src/identity/adapters/slonik-user-repository.ts';
import { recordFailedLogin, registerUser, withRole, type User } from '../../../src/identity/domain/user.ts';
import type { UserRepository } from '../../../src/identity/services/ports.ts';
import { useRepositoryHarness } from '../../support/repository-harness.ts';

const harness = useRepositoryHarness(createUserRepository);
const { inTransaction } = harness;

const ADA_ID = '5d9f0a52-8a0e-4d3b-9d5c-1f2e3a4b5c6d';
const BOB_ID = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const SIGNED_UP_AT = new Date('2026-11-01T10:00:00.000Z');

const ada = (roles: readonly string[] = []) =>
  registerUser({
    id: ADA_ID,
    email: ' Ada@Example.com ',
    name: 'Ada',
    passwordHash: '$argon2id$hash',
    roles,
    now: SIGNED_UP_AT,
  });

const loadWith = async (users: UserRepository, id = ADA_ID): Promise<User> => {
  const user = await users.get(id);
  if (!user) throw new Error(`user ${id} was not saved`);
  return user;
};
const load = (id = ADA_ID): Promise<User> => inTransaction((users) => loadWith(users, id));

const POLICY = { maxFailures: 5, lockoutMs: 60_000 };

// user_roles.role references roles: besides the built-in admin and member, the roles these tests hand out.
beforeEach(async () => {
  await harness.database.pool.query(sql.unsafe`INSERT INTO roles (name) VALUES ('editor'), ('auditor')`);
});

const storedRoles = () => harness.database.pool.anyFirst(sql.unsafe`SELECT role FROM user_roles ORDER BY role`);

describe('the slonik user repository', () => {
  it('inserts a new user at version 1 and loads it back with its roles, timestamps as Dates', async () => {
    await inTransaction((users) => users.save(ada(['editor', 'admin'])));

    expect(await load()).toEqual({
      id: ADA_ID,
      email: 'ada@example.com',
      name: 'Ada',
      passwordHash: '$argon2id$hash',
      roles: ['admin', 'editor'],
      failedLogins: 0,
      lockedUntil: null,
      version: 1,
      createdAt: SIGNED_UP_AT,
      events: [],
    });
  });

  it('finds a user by their normalised email, and nobody by another', async () => {
    await inTransaction((users) => users.save(ada(['admin'])));

    expect(await inTransaction((users) => users.findByEmail('ada@example.com'))).toMatchObject({
      id: ADA_ID,
      roles: ['admin'],
    });
    expect(await inTransaction((users) => users.findByEmail('bob@example.com'))).toBeNull();
  });

  it('answers null for an id nobody has, and for one that is not a uuid at all', async () => {
    await inTransaction((users) => users.save(ada()));

    expect(await inTransaction((users) => users.get(BOB_ID))).toBeNull();
    expect(await inTransaction((users) => users.get('not-a-uuid'))).toBeNull();
  });

  it('bumps the version by one per save and persists failed logins and the lock', async () => {
    await inTransaction((users) => users.save(ada()));
    const policy = { maxFailures: 1, lockoutMs: 60_000 };
    const now = new Date('2026-11-02T08:00:00.000Z');

    await inTransaction(async (users) => users.save(recordFailedLogin(await loadWith(users), now, policy)));

    expect(await load()).toMatchObject({
      version: 2,
      failedLogins: 1,
      lockedUntil: new Date('2026-11-02T08:01:00.000Z'),
    });
  });

  it('adds and removes roles as a diff: unchanged roles are not rewritten', async () => {
    await inTransaction((users) => users.save(ada(['admin', 'editor'])));
    const loaded = await load();

    const start = harness.database.statements.length;
    await inTransaction((users) => users.save(withRole({ ...loaded, roles: ['editor'] }, 'auditor')));
    const writes = harness.database.statements
      .slice(start)
      .filter((statement) => /^\s*(INSERT|UPDATE|DELETE)\b/i.test(statement));

    expect(writes).toHaveLength(3);
    expect(await storedRoles()).toEqual(['auditor', 'editor']);
    expect(await load()).toMatchObject({ version: 2, roles: ['auditor', 'editor'] });
  });

  it("announces a change of an existing user's roles to every instance (user:<id> on kingdom_access), as access does", async () => {
    await inTransaction((users) => users.save(ada(['member'])));
    const announced = () => harness.database.notifications.splice(0);
    // A new account: no instance can hold permissions of it yet.
    expect(announced()).toEqual([]);

    await inTransaction(async (users) => users.save(recordFailedLogin(await loadWith(users), new Date(), POLICY)));
    expect(announced()).toEqual([]);

    await inTransaction(async (users) => users.save(withRole(await loadWith(users), 'admin')));
    expect(announced()).toEqual([{ channel: 'kingdom_access', payload: `user:${(await load()).id}` }]);
  });

  it('refuses a save over a newer version: the second of two writers who loaded version 1 gets ConcurrentUpdateError', async () => {
    await inTransaction((users) => users.save(ada()));
    harness.recorded.splice(0);

    const secondSave = await inTransaction(async (first, connection) => {
      const second = createUserRepository(connection, harness.recorder);
      const [mine, theirs] = [await first.get(ADA_ID), await second.get(ADA_ID)];
      if (!mine || !theirs) throw new Error('Ada was not saved');
      await first.save(withRole(mine, 'admin'));
      return second.save(withRole(theirs, 'editor')).catch((error: unknown) => error);
    });

    expect(secondSave).toBeInstanceOf(ConcurrentUpdateError);
    expect(await storedRoles()).toEqual(['admin']);
    expect(await load()).toMatchObject({ version: 2, roles: ['admin'] });
  });

  it('refuses a second user with the same email as a ConcurrentUpdateError (retried, then seen by the handler), storing nothing', async () => {
    await inTransaction((users) => users.save(ada()));
    harness.recorded.splice(0);
    const impostor = registerUser({
      id: BOB_ID,
      email: 'ada@example.com',
      name: 'Bob',
      passwordHash: 'x',
      roles: ['admin'],
      now: SIGNED_UP_AT,
    });

    await expect(inTransaction((users) => users.save(impostor))).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect(harness.recorded).toEqual([]);
    expect(await harness.database.pool.anyFirst(sql.unsafe`SELECT name FROM users`)).toEqual(['Ada']);
    expect(await storedRoles()).toEqual([]);
  });

  it("hands a saved user's events to the event recorder, and only the new ones on a later save", async () => {
    await inTransaction((users) => users.save(ada()));
    expect(harness.recorded).toEqual([{ type: 'UserSignedUp', userId: ADA_ID, email: 'ada@example.com' }]);
    harness.recorded.splice(0);

    await inTransaction(async (users) =>
      users.save(
        recordFailedLogin(await loadWith(users), new Date('2026-11-02T08:00:00.000Z'), {
          maxFailures: 5,
          lockoutMs: 1,
        }),
      ),
    );

    expect(harness.recorded).toEqual([{ type: 'LoginFailed', userId: ADA_ID, failures: 1 }]);
  });
});

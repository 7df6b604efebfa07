import { DomainError } from '../../../src/core/errors.ts';
import type { UnitOfWork } from '../../../src/core/ports.ts';
import { registerUser, type User } from '../../../src/identity/domain/user.ts';
import type { IdentityRepositories } from '../../../src/identity/services/ports.ts';

/**
 * What the identity unit of work's user repository does, whatever stores it: the fake identity store in tests/unit
 * and the slonik unit of work with the slonik user repository on pg-mem in tests/integration run this same suite.
 */
export type UserRepositorySubject = {
  /** An empty store's unit of work (the built-in roles admin and member exist). */
  readonly unitOfWork: UnitOfWork<IdentityRepositories>;
  end(): Promise<void>;
};

const NOW = new Date('2026-11-25T12:00:00.000Z');
const ADA = '5d9f0a52-8a0e-4d3b-9d5c-1f2e3a4b5c6d';
const BOB = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
/** A ConcurrentUpdateError on every attempt: the unit of work gives up with a Conflict after its retries. */
const expectGaveUpAfterRetries = async (attempt: Promise<unknown>): Promise<void> => {
  const error: unknown = await attempt.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect(error).toMatchObject({ category: 'Conflict', name: 'ConcurrentModification' });
};

const registered = (id: string, email: string, roles: readonly string[] = []): User =>
  registerUser({ id, email, name: email.split('@')[0] ?? email, passwordHash: 'hash', roles, now: NOW });

export const describeUserRepositoryContract = (makeSubject: () => Promise<UserRepositorySubject>): void => {
  let subject: UserRepositorySubject;
  const run = <T>(work: (repositories: IdentityRepositories) => Promise<T>) =>
    subject.unitOfWork.transaction('REPEATABLE READ', work);
  const stored = (id: string) => run(({ users }) => users.get(id));

  beforeEach(async () => {
    subject = await makeSubject();
  });
  afterEach(async () => subject.end());

  it('inserts a new user at version 1, finds it by id and email, and hands over its events once committed', async () => {
    const ada = registered(ADA, 'ada@example.com', ['member']);
    await run(({ users }) => users.save(ada));

    const expected = { ...ada, version: 1, events: [] };
    expect(await stored(ADA)).toEqual(expected);
    expect(await run(({ users }) => users.findByEmail('ada@example.com'))).toEqual(expected);
    expect(subject.unitOfWork.collectNewEvents()).toEqual(ada.events);
  });

  it('finds nobody for an unknown, a malformed id or an unknown email, and reads an id whatever its case', async () => {
    await run(({ users }) => users.save(registered(ADA, 'ada@example.com')));

    expect(await stored(BOB)).toBeNull();
    expect(await stored('lamp')).toBeNull();
    expect(await run(({ users }) => users.findByEmail('bob@example.com'))).toBeNull();
    expect((await stored(ADA.toUpperCase()))?.id).toBe(ADA);
  });

  it('updates at the loaded version, bumps it, and keeps the roles as saved', async () => {
    await run(({ users }) => users.save(registered(ADA, 'ada@example.com', ['member'])));

    await run(async ({ users }) => {
      const ada = await users.get(ADA);
      if (ada) await users.save({ ...ada, name: 'Ada L.', roles: ['member', 'admin'] });
    });

    expect(await stored(ADA)).toMatchObject({ name: 'Ada L.', version: 2, roles: ['admin', 'member'] });
  });

  it('refuses a save over a stale version as a concurrent update, retried until the unit of work gives up', async () => {
    await run(({ users }) => users.save(registered(ADA, 'ada@example.com')));
    const stale = await stored(ADA);
    await run(async ({ users }) => {
      const ada = await users.get(ADA);
      if (ada) await users.save({ ...ada, name: 'First' });
    });

    await expectGaveUpAfterRetries(run(({ users }) => users.save({ ...(stale as User), name: 'Second' })));
    expect(await stored(ADA)).toMatchObject({ name: 'First', version: 2 });
  });

  it('refuses a new user whose email another account holds as a concurrent update, retried until the unit of work gives up', async () => {
    await run(({ users }) => users.save(registered(ADA, 'ada@example.com')));

    await expectGaveUpAfterRetries(run(({ users }) => users.save(registered(BOB, 'ada@example.com'))));
    expect(await stored(BOB)).toBeNull();
  });

  it('keeps neither the user nor its events when the work fails after saving', async () => {
    await expect(
      run(async ({ users }) => {
        await users.save(registered(ADA, 'ada@example.com'));
        throw new Error('the handler failed');
      }),
    ).rejects.toThrow('the handler failed');

    expect(await stored(ADA)).toBeNull();
    expect(subject.unitOfWork.collectNewEvents()).toEqual([]);
  });
};

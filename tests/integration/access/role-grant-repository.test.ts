import { createRoleGrantRepository } from '../../../src/access/adapters/slonik-role-grant-repository.ts';
import { grant, revoke, type RoleHolder } from '../../../src/access/domain/holder.ts';
import type { RoleGrantRepository } from '../../../src/access/services/ports.ts';
import { ConcurrentUpdateError } from '../../../src/core/errors.ts';
import { useRepositoryHarness } from '../../support/repository-harness.ts';
import { grantsStored, insertRole, insertUser } from './access-rows.ts';

const harness = useRepositoryHarness(createRoleGrantRepository);
const { inTransaction } = harness;

const ADA_ID = '5d9f0a52-8a0e-4d3b-9d5c-1f2e3a4b5c6d';
const BOB_ID = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const NOBODY_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

const holderWith = async (grants: RoleGrantRepository, userId = ADA_ID): Promise<RoleHolder> => {
  const holder = await grants.holderOf(userId);
  if (!holder) throw new Error(`user ${userId} does not exist`);
  return holder;
};

/** The writes (not reads, not transaction control) a piece of work sent. */
const writesOf = async (work: () => Promise<unknown>): Promise<string[]> => {
  const start = harness.database.statements.length;
  await work();
  return harness.database.statements
    .slice(start)
    .filter((statement) => /^\s*(INSERT|UPDATE|DELETE)\b/i.test(statement));
};

beforeEach(async () => {
  await insertRole(harness.database, 'clerk');
  await insertUser(harness.database, ADA_ID, ['member']);
  await insertUser(harness.database, BOB_ID);
});

describe('the slonik role grant repository', () => {
  it('loads a user with the roles they hold, in name order, and one without any with none', async () => {
    await insertRole(harness.database, 'auditor');
    await inTransaction(async (grants) => grants.save(grant(grant(await holderWith(grants), 'clerk'), 'auditor')));

    expect(await inTransaction((grants) => grants.holderOf(ADA_ID))).toEqual({
      userId: ADA_ID,
      roles: ['auditor', 'clerk', 'member'],
      events: [],
    });
    expect(await inTransaction((grants) => grants.holderOf(BOB_ID))).toEqual({ userId: BOB_ID, roles: [], events: [] });
  });

  it('answers null for a user nobody has, and for an id that is not a uuid', async () => {
    expect(await inTransaction((grants) => grants.holderOf(NOBODY_ID))).toBeNull();
    expect(await inTransaction((grants) => grants.holderOf("' OR TRUE --"))).toBeNull();
  });

  it('writes a grant as one row and a revocation as its removal, handing over their events', async () => {
    await inTransaction(async (grants) => grants.save(grant(await holderWith(grants), 'clerk')));
    expect(await grantsStored(harness.database)).toEqual([`${ADA_ID}:clerk`, `${ADA_ID}:member`]);

    await inTransaction(async (grants) => grants.save(revoke(await holderWith(grants), 'member')));
    expect(await grantsStored(harness.database)).toEqual([`${ADA_ID}:clerk`]);

    expect(harness.recorded).toEqual([
      { type: 'RoleGranted', userId: ADA_ID, role: 'clerk' },
      { type: 'RoleRevoked', userId: ADA_ID, role: 'member' },
    ]);
  });

  it("announces each change of a user's roles to every instance (user:<id> on kingdom_access), and nothing for no change", async () => {
    const announced = () => harness.database.notifications.splice(0);
    announced();
    await inTransaction(async (grants) => grants.save(grant(await holderWith(grants), 'clerk')));
    expect(announced()).toEqual([{ channel: 'kingdom_access', payload: `user:${ADA_ID}` }]);

    await inTransaction(async (grants) => grants.save(revoke(await holderWith(grants, BOB_ID), 'clerk')));
    await inTransaction(async (grants) => grants.save(await holderWith(grants)));
    expect(announced()).toEqual([]);

    await inTransaction(async (grants) => grants.save(revoke(await holderWith(grants), 'member')));
    expect(announced()).toEqual([{ channel: 'kingdom_access', payload: `user:${ADA_ID}` }]);
  });

  it('writes nothing for a holder saved as loaded', async () => {
    const writes = await writesOf(() => inTransaction(async (grants) => grants.save(await holderWith(grants))));

    expect(writes).toEqual([]);
  });

  it('refuses a grant another transaction made since the holder was loaded, so its event is never reported twice', async () => {
    const secondSave = await inTransaction(async (first, connection) => {
      const second = createRoleGrantRepository(connection, harness.recorder);
      const [mine, theirs] = [await holderWith(first), await holderWith(second)];
      await first.save(grant(mine, 'clerk'));
      return second.save(grant(theirs, 'clerk')).catch((error: unknown) => error);
    });

    expect(secondSave).toBeInstanceOf(ConcurrentUpdateError);
    expect(harness.recorded).toEqual([{ type: 'RoleGranted', userId: ADA_ID, role: 'clerk' }]);
  });

  it('refuses a revocation another transaction made since the holder was loaded', async () => {
    const secondSave = await inTransaction(async (first, connection) => {
      const second = createRoleGrantRepository(connection, harness.recorder);
      const [mine, theirs] = [await holderWith(first), await holderWith(second)];
      await first.save(revoke(mine, 'member'));
      return second.save(revoke(theirs, 'member')).catch((error: unknown) => error);
    });

    expect(secondSave).toBeInstanceOf(ConcurrentUpdateError);
    expect(harness.recorded).toEqual([{ type: 'RoleRevoked', userId: ADA_ID, role: 'member' }]);
  });

  it('refuses a grant of a role deleted since it was checked as a ConcurrentUpdateError, so the retry reports it missing', async () => {
    await expect(
      inTransaction(async (grants) => grants.save(grant(await holderWith(grants), 'vanished'))),
    ).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect(harness.recorded).toEqual([]);
    expect(await grantsStored(harness.database)).toEqual([`${ADA_ID}:member`]);
  });
});

describe('lockHoldersOf', () => {
  it('answers the holders of a role, in id order, and nobody for a role nobody holds', async () => {
    await insertUser(harness.database, NOBODY_ID, ['clerk']);
    await inTransaction(async (grants) => grants.save(grant(await holderWith(grants), 'clerk')));

    expect(await inTransaction((grants) => grants.lockHoldersOf('clerk'))).toEqual([ADA_ID, NOBODY_ID].sort());
    expect(await inTransaction((grants) => grants.lockHoldersOf('auditor'))).toEqual([]);
  });

  it('locks the role row (FOR NO KEY UPDATE) before reading, in its own statement', async () => {
    const start = harness.database.statements.length;
    await inTransaction((grants) => grants.lockHoldersOf('clerk'));
    const sent = harness.database.statements.slice(start).join('\n');

    expect(sent).toMatch(/FROM roles WHERE name = \$1 FOR NO KEY UPDATE[\s\S]*FROM user_roles WHERE role = \$1/);
  });
});

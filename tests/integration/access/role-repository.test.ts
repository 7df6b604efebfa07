import { sql } from 'slonik';
import { createRoleRepository } from '../../../src/access/adapters/slonik-role-repository.ts';
import { createRole, deleteRole, replacePolicies, type Role } from '../../../src/access/domain/role.ts';
import type { RoleRepository } from '../../../src/access/services/ports.ts';
import { ConcurrentUpdateError } from '../../../src/core/errors.ts';
import { useRepositoryHarness } from '../../support/repository-harness.ts';
import { grantsStored, insertUser } from './access-rows.ts';
import { RESOURCES } from '../../support/request-context.ts';

const harness = useRepositoryHarness(createRoleRepository);
const { inTransaction } = harness;

const ADA_ID = '5d9f0a52-8a0e-4d3b-9d5c-1f2e3a4b5c6d';
const READ_PRODUCTS = { resource: 'PRODUCT', actions: ['READ'], selectors: ['*'] };
const EDIT_LAMP = { resource: 'PRODUCT', actions: ['UPDATE'], selectors: ['LAMP'] };

const loadWith = async (roles: RoleRepository, name: string): Promise<Role> => {
  const role = await roles.get(name);
  if (!role) throw new Error(`role ${name} was not saved`);
  return role;
};
const load = (name: string): Promise<Role> => inTransaction((roles) => loadWith(roles, name));
const storedNames = () => harness.database.pool.anyFirst(sql.unsafe`SELECT name FROM roles ORDER BY name`);

describe('the slonik role repository', () => {
  it('inserts a new role at version 1 and loads it back with its policies from JSON', async () => {
    await inTransaction((roles) =>
      roles.save(createRole({ name: 'clerk', policies: [READ_PRODUCTS, EDIT_LAMP] }, RESOURCES)),
    );

    expect(await load('clerk')).toEqual({
      name: 'clerk',
      builtIn: false,
      policies: [READ_PRODUCTS, EDIT_LAMP],
      version: 1,
      deleted: false,
      events: [],
    });
  });

  it('loads the built-in roles the migration seeds, and null for a name nobody has', async () => {
    expect(await load('admin')).toMatchObject({ builtIn: true, version: 1 });
    // The administrator holds every resource there is: a migration adding one must grant it to admin too.
    expect((await load('admin')).policies.map((policy) => policy.resource).sort()).toEqual(
      [...RESOURCES.keys()].sort(),
    );
    expect(await load('member')).toMatchObject({
      builtIn: true,
      policies: [
        { resource: 'USER', actions: ['READ'], selectors: ['OWNER'] },
        { resource: 'ROLE', actions: ['READ'], selectors: ['OWNER'] },
      ],
    });
    expect(await inTransaction((roles) => roles.get('nobody'))).toBeNull();
  });

  it("replaces a role's policies and bumps its version by one", async () => {
    await inTransaction((roles) => roles.save(createRole({ name: 'clerk', policies: [READ_PRODUCTS] }, RESOURCES)));

    await inTransaction(async (roles) =>
      roles.save(replacePolicies(await loadWith(roles, 'clerk'), [EDIT_LAMP], RESOURCES)),
    );

    expect(await load('clerk')).toMatchObject({ version: 2, policies: [EDIT_LAMP] });
  });

  it('announces a change or deletion of a role to every instance (role:<name> on kingdom_access), not its creation', async () => {
    const announced = () => harness.database.notifications.splice(0);
    announced();
    await inTransaction((roles) => roles.save(createRole({ name: 'clerk', policies: [READ_PRODUCTS] }, RESOURCES)));
    expect(announced()).toEqual([]);

    await inTransaction(async (roles) =>
      roles.save(replacePolicies(await loadWith(roles, 'clerk'), [EDIT_LAMP], RESOURCES)),
    );
    expect(announced()).toEqual([{ channel: 'kingdom_access', payload: 'role:clerk' }]);

    await inTransaction(async (roles) => roles.save(deleteRole(await loadWith(roles, 'clerk'))));
    expect(announced()).toEqual([{ channel: 'kingdom_access', payload: 'role:clerk' }]);
  });

  it('refuses a save over a newer version: the second of two writers who loaded version 1 gets ConcurrentUpdateError', async () => {
    await inTransaction((roles) => roles.save(createRole({ name: 'clerk', policies: [READ_PRODUCTS] }, RESOURCES)));

    const secondSave = await inTransaction(async (first, connection) => {
      const second = createRoleRepository(connection, harness.recorder);
      const [mine, theirs] = [await loadWith(first, 'clerk'), await loadWith(second, 'clerk')];
      await first.save(replacePolicies(mine, [EDIT_LAMP], RESOURCES));
      return second
        .save(replacePolicies(theirs, [READ_PRODUCTS, EDIT_LAMP], RESOURCES))
        .catch((error: unknown) => error);
    });

    expect(secondSave).toBeInstanceOf(ConcurrentUpdateError);
    expect(await load('clerk')).toMatchObject({ version: 2, policies: [EDIT_LAMP] });
  });

  it('refuses a new role whose name is taken as a ConcurrentUpdateError (retried, then seen by the handler), recording nothing', async () => {
    await inTransaction((roles) => roles.save(createRole({ name: 'clerk', policies: [READ_PRODUCTS] }, RESOURCES)));
    harness.recorded.splice(0);

    await expect(
      inTransaction((roles) => roles.save(createRole({ name: 'clerk', policies: [EDIT_LAMP] }, RESOURCES))),
    ).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect(harness.recorded).toEqual([]);
    expect(await load('clerk')).toMatchObject({ version: 1, policies: [READ_PRODUCTS] });
  });

  it('deletes a role together with every grant of it (the foreign key cascades)', async () => {
    await inTransaction((roles) => roles.save(createRole({ name: 'clerk', policies: [READ_PRODUCTS] }, RESOURCES)));
    await insertUser(harness.database, ADA_ID, ['clerk', 'member']);

    await inTransaction(async (roles) => roles.save(deleteRole(await loadWith(roles, 'clerk'))));

    expect(await storedNames()).toEqual(['admin', 'member']);
    expect(await grantsStored(harness.database)).toEqual([`${ADA_ID}:member`]);
  });

  it('refuses to delete a role changed since it was loaded', async () => {
    await inTransaction((roles) => roles.save(createRole({ name: 'clerk', policies: [READ_PRODUCTS] }, RESOURCES)));

    const staleDelete = await inTransaction(async (first, connection) => {
      const second = createRoleRepository(connection, harness.recorder);
      const [mine, theirs] = [await loadWith(first, 'clerk'), await loadWith(second, 'clerk')];
      await first.save(replacePolicies(mine, [EDIT_LAMP], RESOURCES));
      return second.save(deleteRole(theirs)).catch((error: unknown) => error);
    });

    expect(staleDelete).toBeInstanceOf(ConcurrentUpdateError);
    expect(await storedNames()).toContain('clerk');
  });

  it("hands a saved role's events to the event recorder, and only the new ones on a later save", async () => {
    await inTransaction((roles) => roles.save(createRole({ name: 'clerk', policies: [READ_PRODUCTS] }, RESOURCES)));
    expect(harness.recorded).toEqual([{ type: 'RoleCreated', name: 'clerk', policies: [READ_PRODUCTS] }]);
    harness.recorded.splice(0);

    await inTransaction(async (roles) => roles.save(deleteRole(await loadWith(roles, 'clerk'))));

    expect(harness.recorded).toEqual([{ type: 'RoleDeleted', name: 'clerk' }]);
  });
});

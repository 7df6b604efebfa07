import type { AccessCommand } from '../../../src/access/domain/commands.ts';
import { accessCommandHandlers } from '../../../src/access/services/handlers.ts';
import type { AccessDependencies } from '../../../src/access/services/ports.ts';
import { bindCommandHandlers, type Outcome } from '../../../src/core/bus.ts';
import { DomainError } from '../../../src/core/errors.ts';
import { createFakeAccessStore, type FakeAccessStore } from './fake-access-store.ts';
import { RESOURCES } from '../../support/request-context.ts';

const ADA_ID = '5d9f0a52-8a0e-4d3b-9d5c-1f2e3a4b5c6d';
const NOBODY_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const READ_LAMP = { resource: 'PRODUCT', actions: ['READ'], selectors: ['LAMP'] } as const;
const EDIT_ROLES = { resource: 'ROLE', actions: ['UPDATE'], selectors: ['OWNER'] } as const;

/** The access handlers bound to a store, as the composition root binds them: each answers with an Outcome. */
const application = (store: FakeAccessStore = createFakeAccessStore().addUser(ADA_ID, ['member'])) => {
  const routes = bindCommandHandlers(accessCommandHandlers, (): AccessDependencies => ({
    uow: store,
    clock: { now: () => new Date(0) },
    resources: RESOURCES,
  }));
  const run = (command: AccessCommand): Promise<Outcome<unknown>> =>
    (routes[command.type] as (message: AccessCommand) => Promise<Outcome<unknown>>)(command);
  return { store, run };
};

const failure = (outcome: Outcome<unknown>): DomainError => {
  if (outcome.ok || !(outcome.error instanceof DomainError))
    throw new Error(`expected a DomainError, got ${JSON.stringify(outcome)}`);
  return outcome.error;
};

describe('creating a role (CreateRole)', () => {
  it('stores the role at version 1 and commits RoleCreated, answering with its name', async () => {
    const { store, run } = application();

    const outcome = await run({ type: 'CreateRole', name: 'clerk', policies: [READ_LAMP] });

    expect(outcome).toEqual({
      ok: true,
      result: { name: 'clerk' },
      events: [{ type: 'RoleCreated', name: 'clerk', policies: [READ_LAMP] }],
    });
    expect(store.state().roles.get('clerk')).toEqual({
      name: 'clerk',
      policies: [READ_LAMP],
      builtIn: false,
      version: 1,
    });
  });

  it('refuses a bad policy with its path before opening a transaction', async () => {
    const { store, run } = application();

    const error = failure(
      await run({ type: 'CreateRole', name: 'clerk', policies: [READ_LAMP, { ...READ_LAMP, resource: 'ORDER' }] }),
    );

    expect(error).toMatchObject({ category: 'InvalidInput', details: { field: 'input.policies[1].resource' } });
    expect(store.attempts()).toBe(0);
    expect(store.state().roles.has('clerk')).toBe(false);
  });

  it('refuses a name taken as RoleExists on input.name, changing nothing', async () => {
    const { store, run } = application();

    const outcome = await run({ type: 'CreateRole', name: 'member', policies: [] });

    expect(failure(outcome)).toMatchObject({
      category: 'InvalidInput',
      name: 'RoleExists',
      details: { field: 'input.name' },
    });
    expect(outcome.events).toEqual([]);
    expect(store.state().roles.get('member')?.builtIn).toBe(true);
  });

  it('reports RoleExists when another request creates the same name between the check and the save (after a retry)', async () => {
    const { store, run } = application();
    store.beforeNextSave((state) =>
      state.roles.set('clerk', { name: 'clerk', policies: [EDIT_ROLES], builtIn: false, version: 1 }),
    );

    const outcome = await run({ type: 'CreateRole', name: 'clerk', policies: [READ_LAMP] });

    expect(failure(outcome).name).toBe('RoleExists');
    expect(store.attempts()).toBe(2);
    expect(store.state().roles.get('clerk')?.policies).toEqual([EDIT_ROLES]);
  });
});

describe("replacing a role's policies (UpdateRolePolicies)", () => {
  it('replaces them, bumps the version and commits RolePoliciesUpdated', async () => {
    const { store, run } = application(createFakeAccessStore().addRole({ name: 'clerk', policies: [READ_LAMP] }));

    const outcome = await run({ type: 'UpdateRolePolicies', name: 'clerk', policies: [EDIT_ROLES] });

    expect(outcome).toEqual({
      ok: true,
      result: { name: 'clerk' },
      events: [{ type: 'RolePoliciesUpdated', name: 'clerk', policies: [EDIT_ROLES] }],
    });
    expect(store.state().roles.get('clerk')).toMatchObject({ version: 2, policies: [EDIT_ROLES] });
  });

  it('writes nothing and commits no event when the policies are already those', async () => {
    const { store, run } = application(createFakeAccessStore().addRole({ name: 'clerk', policies: [READ_LAMP] }));

    expect(await run({ type: 'UpdateRolePolicies', name: 'clerk', policies: [READ_LAMP] })).toMatchObject({
      ok: true,
      events: [],
    });
    expect(store.state().roles.get('clerk')?.version).toBe(1);
  });

  it("may change the member role, never admin's (Forbidden)", async () => {
    const { store, run } = application();

    expect(await run({ type: 'UpdateRolePolicies', name: 'member', policies: [EDIT_ROLES] })).toMatchObject({
      ok: true,
    });
    expect(failure(await run({ type: 'UpdateRolePolicies', name: 'admin', policies: [] }))).toMatchObject({
      category: 'Forbidden',
      name: 'BuiltInRole',
    });
    expect(store.state().roles.get('admin')?.policies).toHaveLength(4);
  });

  it('answers NotFound for a role nobody created', async () => {
    const { run } = application();

    expect(failure(await run({ type: 'UpdateRolePolicies', name: 'ghost', policies: [] }))).toMatchObject({
      category: 'NotFound',
      name: 'RoleNotFound',
      details: { field: 'input.name' },
    });
  });

  it('applies a change on top of a concurrent one instead of overwriting it blindly (version check, retry)', async () => {
    const { store, run } = application(createFakeAccessStore().addRole({ name: 'clerk', policies: [] }));
    store.beforeNextSave((state) =>
      state.roles.set('clerk', { name: 'clerk', policies: [EDIT_ROLES], builtIn: false, version: 2 }),
    );

    const outcome = await run({ type: 'UpdateRolePolicies', name: 'clerk', policies: [READ_LAMP] });

    expect(outcome).toMatchObject({ ok: true, events: [{ type: 'RolePoliciesUpdated', policies: [READ_LAMP] }] });
    expect(store.attempts()).toBe(2);
    expect(store.state().roles.get('clerk')).toMatchObject({ version: 3, policies: [READ_LAMP] });
  });
});

describe('updateRolePolicies with the version the client read (expectedVersion)', () => {
  it('applies the change when the role is still at that version', async () => {
    const { store, run } = application(createFakeAccessStore().addRole({ name: 'clerk', policies: [] }));

    const outcome = await run({ type: 'UpdateRolePolicies', name: 'clerk', policies: [READ_LAMP], expectedVersion: 1 });

    expect(outcome).toMatchObject({ ok: true });
    expect(store.state().roles.get('clerk')).toMatchObject({ version: 2, policies: [READ_LAMP] });
  });

  it('refuses a stale version as a Conflict naming the current one, and changes nothing', async () => {
    const { store, run } = application(createFakeAccessStore().addRole({ name: 'clerk', policies: [EDIT_ROLES] }));
    await run({ type: 'UpdateRolePolicies', name: 'clerk', policies: [READ_LAMP] });

    const outcome = await run({ type: 'UpdateRolePolicies', name: 'clerk', policies: [], expectedVersion: 1 });

    expect(failure(outcome)).toMatchObject({
      category: 'Conflict',
      name: 'StaleVersion',
      details: { field: 'input.expectedVersion', expectedVersion: 1, currentVersion: 2 },
    });
    expect(outcome.events).toEqual([]);
    expect(store.state().roles.get('clerk')).toMatchObject({ version: 2, policies: [READ_LAMP] });
  });

  it('refuses it also when the change that made it stale lands between the load and the save (the retry sees it)', async () => {
    const { store, run } = application(createFakeAccessStore().addRole({ name: 'clerk', policies: [] }));
    store.beforeNextSave((state) =>
      state.roles.set('clerk', { name: 'clerk', policies: [EDIT_ROLES], builtIn: false, version: 2 }),
    );

    const outcome = await run({ type: 'UpdateRolePolicies', name: 'clerk', policies: [READ_LAMP], expectedVersion: 1 });

    expect(failure(outcome)).toMatchObject({ name: 'StaleVersion', details: { currentVersion: 2 } });
    expect(store.state().roles.get('clerk')).toMatchObject({ version: 2, policies: [EDIT_ROLES] });
  });
});

describe('deleting a role (DeleteRole)', () => {
  it('removes the role and every grant of it, committing RoleDeleted', async () => {
    const store = createFakeAccessStore().addRole({ name: 'clerk', policies: [] }).addUser(ADA_ID, ['clerk', 'member']);
    const { run } = application(store);

    expect(await run({ type: 'DeleteRole', name: 'clerk' })).toEqual({
      ok: true,
      result: { name: 'clerk' },
      events: [{ type: 'RoleDeleted', name: 'clerk' }],
    });
    expect(store.state().roles.has('clerk')).toBe(false);
    expect(store.state().holders.get(ADA_ID)).toEqual(['member']);
  });

  it.each(['admin', 'member'])('refuses the built-in %s role as Forbidden', async (name) => {
    const { store, run } = application();

    expect(failure(await run({ type: 'DeleteRole', name }))).toMatchObject({
      category: 'Forbidden',
      name: 'BuiltInRole',
    });
    expect(store.state().roles.has(name)).toBe(true);
  });

  it('answers NotFound for a role nobody created', async () => {
    const { run } = application();

    expect(failure(await run({ type: 'DeleteRole', name: 'ghost' }))).toMatchObject({
      category: 'NotFound',
      name: 'RoleNotFound',
    });
  });
});

describe('the last administrator (RevokeRole of admin)', () => {
  const BOB_ID = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';

  it('refuses to take admin from its only holder: BAD_USER_INPUT on input.userId, nothing changed', async () => {
    const { store, run } = application(createFakeAccessStore().addUser(ADA_ID, ['admin', 'member']));

    const outcome = await run({ type: 'RevokeRole', userId: ADA_ID, role: 'admin' });

    expect(failure(outcome)).toMatchObject({
      category: 'InvalidInput',
      name: 'LastAdministrator',
      message: expect.stringContaining('last administrator'),
      details: { field: 'input.userId' },
    });
    expect(outcome.events).toEqual([]);
    expect(store.state().holders.get(ADA_ID)).toEqual(['admin', 'member']);
  });

  it('takes admin from one of two holders, and then refuses it from the other', async () => {
    const { store, run } = application(createFakeAccessStore().addUser(ADA_ID, ['admin']).addUser(BOB_ID, ['admin']));

    expect(await run({ type: 'RevokeRole', userId: BOB_ID, role: 'admin' })).toMatchObject({ ok: true });
    expect(failure(await run({ type: 'RevokeRole', userId: ADA_ID, role: 'admin' }))).toMatchObject({
      name: 'LastAdministrator',
    });
    expect([store.state().holders.get(ADA_ID), store.state().holders.get(BOB_ID)]).toEqual([['admin'], []]);
  });

  it('lets the last administrator lose any other role', async () => {
    const { store, run } = application(createFakeAccessStore().addUser(ADA_ID, ['admin', 'member']));

    expect(await run({ type: 'RevokeRole', userId: ADA_ID, role: 'member' })).toMatchObject({ ok: true });
    expect(store.state().holders.get(ADA_ID)).toEqual(['admin']);
  });
});

describe('granting and revoking a role (GrantRole, RevokeRole)', () => {
  it('grants a role and commits RoleGranted, answering with the user and the role', async () => {
    const { store, run } = application(
      createFakeAccessStore().addRole({ name: 'clerk', policies: [] }).addUser(ADA_ID),
    );

    expect(await run({ type: 'GrantRole', userId: ADA_ID, role: 'clerk' })).toEqual({
      ok: true,
      result: { userId: ADA_ID, role: 'clerk' },
      events: [{ type: 'RoleGranted', userId: ADA_ID, role: 'clerk' }],
    });
    expect(store.state().holders.get(ADA_ID)).toEqual(['clerk']);
  });

  it('revokes a role and commits RoleRevoked', async () => {
    const { store, run } = application();

    expect(await run({ type: 'RevokeRole', userId: ADA_ID, role: 'member' })).toEqual({
      ok: true,
      result: { userId: ADA_ID, role: 'member' },
      events: [{ type: 'RoleRevoked', userId: ADA_ID, role: 'member' }],
    });
    expect(store.state().holders.get(ADA_ID)).toEqual([]);
  });

  it('succeeds without a change or an event granting a role held, or revoking one not held', async () => {
    const { store, run } = application();

    expect(await run({ type: 'GrantRole', userId: ADA_ID, role: 'member' })).toMatchObject({ ok: true, events: [] });
    expect(await run({ type: 'RevokeRole', userId: ADA_ID, role: 'admin' })).toMatchObject({ ok: true, events: [] });
    expect(store.state().holders.get(ADA_ID)).toEqual(['member']);
  });

  it('reports one RoleGranted when another request grants the same role at the same moment', async () => {
    const { store, run } = application();
    store.beforeNextSave((state) => state.holders.set(ADA_ID, ['member', 'admin']));

    expect(await run({ type: 'GrantRole', userId: ADA_ID, role: 'admin' })).toMatchObject({ ok: true, events: [] });
    expect(store.attempts()).toBe(2);
  });

  it.each(['GrantRole', 'RevokeRole'] as const)('%s answers NotFound for an unknown user or role', async (type) => {
    const { run } = application();

    expect(failure(await run({ type, userId: NOBODY_ID, role: 'member' }))).toMatchObject({
      category: 'NotFound',
      name: 'UserNotFound',
      details: { field: 'input.userId' },
    });
    expect(failure(await run({ type, userId: 'not-a-uuid', role: 'member' })).name).toBe('UserNotFound');
    expect(failure(await run({ type, userId: ADA_ID, role: 'ghost' }))).toMatchObject({
      category: 'NotFound',
      name: 'RoleNotFound',
      details: { field: 'input.role' },
    });
  });

  it('reports RoleNotFound when the role is deleted between the check and the grant (after a retry)', async () => {
    const { store, run } = application(
      createFakeAccessStore().addRole({ name: 'clerk', policies: [] }).addUser(ADA_ID),
    );
    store.beforeNextSave((state) => state.roles.delete('clerk'));

    expect(failure(await run({ type: 'GrantRole', userId: ADA_ID, role: 'clerk' })).name).toBe('RoleNotFound');
    expect(store.state().holders.get(ADA_ID)).toEqual([]);
  });
});

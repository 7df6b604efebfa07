import { grant, revoke, type RoleHolder } from '../../../src/access/domain/holder.ts';
import { createRole, deleteRole, replacePolicies, type Role } from '../../../src/access/domain/role.ts';
import { deepFreeze, domainErrorOf } from '../../support/domain-assertions.ts';
import { RESOURCES } from '../../support/request-context.ts';

const READ_LAMP = { resource: 'PRODUCT', actions: ['READ'], selectors: ['LAMP'] } as const;
const EDIT_ROLES = { resource: 'ROLE', actions: ['UPDATE'], selectors: ['OWNER'] } as const;
const ADA_ID = '5d9f0a52-8a0e-4d3b-9d5c-1f2e3a4b5c6d';

const stored = (overrides: Partial<Role> = {}): Role =>
  deepFreeze({
    name: 'clerk',
    policies: [READ_LAMP],
    builtIn: false,
    version: 3,
    deleted: false,
    events: [],
    ...overrides,
  });

describe('creating a role', () => {
  it('is a new role (version 0, not built in) with its checked policies, raising RoleCreated', () => {
    expect(createRole({ name: 'clerk', policies: [{ ...READ_LAMP, actions: ['READ', 'READ'] }] }, RESOURCES)).toEqual({
      name: 'clerk',
      policies: [READ_LAMP],
      builtIn: false,
      version: 0,
      deleted: false,
      events: [{ type: 'RoleCreated', name: 'clerk', policies: [READ_LAMP] }],
    });
  });

  it('refuses a bad name on input.name and a bad policy at its path', () => {
    expect(domainErrorOf(() => createRole({ name: 'Clerk', policies: [] }, RESOURCES)).details).toEqual({
      field: 'input.name',
    });
    expect(
      domainErrorOf(() =>
        createRole({ name: 'clerk', policies: [READ_LAMP, { ...READ_LAMP, selectors: [] }] }, RESOURCES),
      ).details,
    ).toEqual({
      field: 'input.policies[1].selectors',
    });
  });
});

describe("replacing a role's policies", () => {
  it('replaces every policy and raises RolePoliciesUpdated, keeping the version for the repository to check', () => {
    expect(replacePolicies(stored(), [EDIT_ROLES], RESOURCES)).toEqual({
      ...stored(),
      policies: [EDIT_ROLES],
      events: [{ type: 'RolePoliciesUpdated', name: 'clerk', policies: [EDIT_ROLES] }],
    });
  });

  it('is the same role, with no event, when the policies do not change', () => {
    const role = stored();

    expect(replacePolicies(role, [{ ...READ_LAMP, selectors: ['LAMP', 'LAMP'] }], RESOURCES)).toBe(role);
  });

  it("may change the built-in member role's policies", () => {
    expect(replacePolicies(stored({ name: 'member', builtIn: true }), [EDIT_ROLES], RESOURCES).policies).toEqual([
      EDIT_ROLES,
    ]);
  });

  it("refuses to change admin's policies as Forbidden, whatever they would become", () => {
    const admin = stored({ name: 'admin', builtIn: true });

    expect(domainErrorOf(() => replacePolicies(admin, [READ_LAMP], RESOURCES))).toMatchObject({
      category: 'Forbidden',
      name: 'BuiltInRole',
    });
    expect(domainErrorOf(() => replacePolicies(admin, admin.policies, RESOURCES))).toMatchObject({
      category: 'Forbidden',
    });
  });

  it('refuses bad policies at their path', () => {
    expect(
      domainErrorOf(() => replacePolicies(stored(), [{ ...READ_LAMP, actions: ['FLY'] }], RESOURCES)).details,
    ).toEqual({
      field: 'input.policies[0].actions[0]',
    });
  });
});

describe('deleting a role', () => {
  it('marks it deleted and raises RoleDeleted', () => {
    expect(deleteRole(stored())).toMatchObject({
      deleted: true,
      version: 3,
      events: [{ type: 'RoleDeleted', name: 'clerk' }],
    });
  });

  it.each(['admin', 'member'])('refuses the built-in %s role as Forbidden', (name) => {
    expect(domainErrorOf(() => deleteRole(stored({ name, builtIn: true })))).toMatchObject({
      category: 'Forbidden',
      name: 'BuiltInRole',
    });
  });
});

describe('granting and revoking roles', () => {
  const holder = (roles: string[]): RoleHolder => deepFreeze({ userId: ADA_ID, roles, events: [] });

  it('grants a role the user lacks, raising RoleGranted', () => {
    expect(grant(holder(['member']), 'clerk')).toEqual({
      userId: ADA_ID,
      roles: ['member', 'clerk'],
      events: [{ type: 'RoleGranted', userId: ADA_ID, role: 'clerk' }],
    });
  });

  it('revokes a role the user holds, raising RoleRevoked', () => {
    expect(revoke(holder(['member', 'clerk']), 'member')).toEqual({
      userId: ADA_ID,
      roles: ['clerk'],
      events: [{ type: 'RoleRevoked', userId: ADA_ID, role: 'member' }],
    });
  });

  it('changes nothing, and raises nothing, granting a role held or revoking one not held', () => {
    const ada = holder(['member']);

    expect(grant(ada, 'member')).toBe(ada);
    expect(revoke(ada, 'clerk')).toBe(ada);
  });
});

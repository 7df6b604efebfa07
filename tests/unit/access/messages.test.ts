import { roleExists, roleNotFound, userNotFound } from '../../../src/access/domain/errors.ts';
import { parsePolicies, roleName } from '../../../src/access/domain/policies.ts';
import { deleteRole, replacePolicies, type Role } from '../../../src/access/domain/role.ts';
import { domainErrorOf } from '../../support/domain-assertions.ts';
import { RESOURCES } from '../../support/request-context.ts';

// What a client reads in a refused access command: the message says what is allowed, `field` where the problem is.

const builtIn = (name: string): Role => ({
  name,
  policies: [],
  builtIn: true,
  version: 1,
  deleted: false,
  events: [],
});

describe('the messages of refused access input', () => {
  it('a role name: its rule, on the field it came from', () => {
    expect(domainErrorOf(() => roleName('Clerk'))).toMatchObject({
      name: 'InvalidRoleName',
      message: "A role name is 1-63 characters: a lower-case letter, then lower-case letters, digits, '_' or '-'",
      details: { field: 'input.name' },
    });
  });

  it.each([
    [
      'no action',
      { resource: 'PRODUCT', actions: [], selectors: ['*'] },
      'input.policies[0].actions',
      'A policy grants at least one action',
    ],
    [
      'an unknown action',
      { resource: 'PRODUCT', actions: ['READ', 'FLY'], selectors: ['*'] },
      'input.policies[0].actions[1]',
      'An action is one of READ, CREATE, UPDATE, DELETE',
    ],
    [
      'no selector',
      { resource: 'PRODUCT', actions: ['READ'], selectors: [] },
      'input.policies[0].selectors',
      'A policy has at least one selector',
    ],
    [
      'an unknown resource',
      { resource: 'PLANET', actions: ['READ'], selectors: ['*'] },
      'input.policies[0].resource',
      `A resource is one of ${[...RESOURCES.keys()].join(', ')}`,
    ],
  ])('a policy with %s: what a policy needs, at its exact path', (_case, draft, field, message) => {
    expect(domainErrorOf(() => parsePolicies([draft], RESOURCES))).toMatchObject({
      name: 'InvalidPolicy',
      message,
      details: { field },
    });
  });

  it('a selector of the wrong format: the forms a selector of that resource may take', () => {
    const error = domainErrorOf(() =>
      parsePolicies([{ resource: 'USER', actions: ['READ'], selectors: ['*', 'not a uuid'] }], RESOURCES),
    );

    expect(error).toMatchObject({ name: 'InvalidPolicy', details: { field: 'input.policies[0].selectors[1]' } });
    expect(error.message).toMatch(/^A USER selector is "\*", "OWNER" or \S/);
  });

  it('the built-in roles: which one, and what cannot be done to it', () => {
    expect(domainErrorOf(() => replacePolicies(builtIn('admin'), [], RESOURCES))).toMatchObject({
      category: 'Forbidden',
      message: 'admin is a built-in role: it cannot be changed',
      details: { field: 'input.name' },
    });
    expect(domainErrorOf(() => deleteRole(builtIn('member')))).toMatchObject({
      message: 'member is a built-in role: it cannot be deleted',
      details: { field: 'input.name' },
    });
  });

  it('a name taken, a role or a user missing: named where the domain knows the name', () => {
    expect(roleExists('clerk')).toMatchObject({
      message: 'A role named clerk already exists',
      details: { field: 'input.name' },
    });
    expect(roleNotFound('clerk', 'input.role')).toMatchObject({
      category: 'NotFound',
      message: 'There is no role clerk',
      details: { field: 'input.role' },
    });
    expect(userNotFound()).toMatchObject({ message: 'There is no such user', details: { field: 'input.userId' } });
  });
});

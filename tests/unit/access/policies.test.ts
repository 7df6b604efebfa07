import type { PolicyDraft } from '../../../src/access/domain/commands.ts';
import { parsePolicies, roleName } from '../../../src/access/domain/policies.ts';
import { domainErrorOf } from '../../support/domain-assertions.ts';
import { RESOURCES } from '../../support/request-context.ts';

const ADA_ID = '5d9f0a52-8a0e-4d3b-9d5c-1f2e3a4b5c6d';
const fine: PolicyDraft = { resource: 'PRODUCT', actions: ['READ'], selectors: ['*'] };

describe('parsing policies as a client sent them', () => {
  it('accepts every kind of selector for each resource and returns the policies typed, in order', () => {
    const drafts: PolicyDraft[] = [
      { resource: 'PRODUCT', actions: ['READ', 'UPDATE'], selectors: ['*', 'OWNER', 'LAMP-01', 'desk.v2_x'] },
      { resource: 'BATCH', actions: ['DELETE'], selectors: ['batch-001'] },
      { resource: 'USER', actions: ['READ'], selectors: [ADA_ID, 'OWNER'] },
      { resource: 'ROLE', actions: ['READ', 'CREATE'], selectors: ['clerk', 'night_shift-2'] },
    ];

    expect(parsePolicies(drafts, RESOURCES)).toEqual(drafts);
  });

  it('drops repeated actions and selectors, keeping the first of each', () => {
    expect(
      parsePolicies(
        [{ resource: 'ROLE', actions: ['READ', 'UPDATE', 'READ'], selectors: ['clerk', '*', 'clerk'] }],
        RESOURCES,
      ),
    ).toEqual([{ resource: 'ROLE', actions: ['READ', 'UPDATE'], selectors: ['clerk', '*'] }]);
  });

  it('accepts no policies at all (a role that grants nothing), and parses parsed policies to equal ones', () => {
    expect(parsePolicies([], RESOURCES)).toEqual([]);
    const parsed = parsePolicies([{ resource: 'USER', actions: ['READ', 'READ'], selectors: [ADA_ID] }], RESOURCES);
    expect(parsePolicies(parsed, RESOURCES)).toEqual(parsed);
  });

  it.each<[string, PolicyDraft, string]>([
    ['an unknown resource', { resource: 'ORDER', actions: ['READ'], selectors: ['*'] }, 'input.policies[1].resource'],
    [
      'a lower-case resource',
      { resource: 'product', actions: ['READ'], selectors: ['*'] },
      'input.policies[1].resource',
    ],
    ['no action', { resource: 'PRODUCT', actions: [], selectors: ['*'] }, 'input.policies[1].actions'],
    [
      'an unknown action',
      { resource: 'PRODUCT', actions: ['READ', 'PUBLISH'], selectors: ['*'] },
      'input.policies[1].actions[1]',
    ],
    ['no selector', { resource: 'PRODUCT', actions: ['READ'], selectors: [] }, 'input.policies[1].selectors'],
    [
      'an empty selector',
      { resource: 'PRODUCT', actions: ['READ'], selectors: ['*', ''] },
      'input.policies[1].selectors[1]',
    ],
    [
      'a SKU with a space',
      { resource: 'PRODUCT', actions: ['READ'], selectors: ['LAMP 1'] },
      'input.policies[1].selectors[0]',
    ],
    [
      'a SKU past 64 characters',
      { resource: 'PRODUCT', actions: ['READ'], selectors: ['A'.repeat(65)] },
      'input.policies[1].selectors[0]',
    ],
    [
      'a batch reference starting with a dot',
      { resource: 'BATCH', actions: ['READ'], selectors: ['.b1'] },
      'input.policies[1].selectors[0]',
    ],
    [
      'a user selector that is not a UUID',
      { resource: 'USER', actions: ['READ'], selectors: ['OWNER', 'ada'] },
      'input.policies[1].selectors[1]',
    ],
    [
      'a role selector in capitals',
      { resource: 'ROLE', actions: ['READ'], selectors: ['Clerk'] },
      'input.policies[1].selectors[0]',
    ],
    [
      '"**" (after role names that merely look like keywords)',
      { resource: 'ROLE', actions: ['READ'], selectors: ['*', 'owner-x', 'owner', '**'] },
      'input.policies[1].selectors[3]',
    ],
    [
      'a SQL fragment',
      { resource: 'USER', actions: ['READ'], selectors: ["' OR TRUE --"] },
      'input.policies[1].selectors[0]',
    ],
  ])('refuses %s as bad input, naming its exact path', (_case, bad, field) => {
    const error = domainErrorOf(() => parsePolicies([fine, bad, { ...fine, resource: 'NOPE' }], RESOURCES));

    expect(error).toMatchObject({ category: 'InvalidInput', name: 'InvalidPolicy', details: { field } });
  });

  it('reports paths under the field it is given', () => {
    expect(domainErrorOf(() => parsePolicies([{ ...fine, selectors: [] }], RESOURCES, 'policies')).details).toEqual({
      field: 'policies[0].selectors',
    });
  });
});

describe('role names', () => {
  it.each(['a', 'clerk', 'night_shift-2', `r${'x'.repeat(62)}`])('accepts %s', (name) => {
    expect(roleName(name)).toBe(name);
  });

  it.each(['', 'Clerk', '2nd', '-clerk', 'night shift', 'café', `r${'x'.repeat(63)}`, '*', 'OWNER'])(
    'refuses %j as bad input on input.name',
    (name) => {
      expect(domainErrorOf(() => roleName(name))).toMatchObject({
        category: 'InvalidInput',
        name: 'InvalidRoleName',
        details: { field: 'input.name' },
      });
    },
  );
});

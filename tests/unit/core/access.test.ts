import {
  allows,
  EVERYTHING,
  grantsAny,
  NO_PERMISSIONS,
  permissionsFrom,
  scopeOf,
  type Ownership,
  type Policy,
} from '../../../src/core/access.ts';

const ADA_ID = '5d9f0a52-8a0e-4d3b-9d5c-1f2e3a4b5c6d';

const clerk: Policy[] = [
  { resource: 'PRODUCT', actions: ['READ'], selectors: ['LAMP', 'DESK'] },
  { resource: 'PRODUCT', actions: ['UPDATE', 'CREATE'], selectors: ['OWNER'] },
];
const auditor: Policy[] = [
  { resource: 'PRODUCT', actions: ['READ'], selectors: ['CHAIR'] },
  { resource: 'BATCH', actions: ['READ'], selectors: ['*'] },
];

/** An ownership answer that counts how often authorization had to ask for it. */
const ownership = (answer: Ownership) => {
  const asked = { count: 0 };
  return {
    asked,
    lookup: async (): Promise<Ownership> => {
      asked.count += 1;
      return answer;
    },
  };
};

describe('permissions: the union of the policies of every role held', () => {
  const permissions = permissionsFrom(ADA_ID, ['clerk', 'auditor'], [...clerk, ...auditor]);

  it('unions the selectors of every policy granting the same resource and action', () => {
    const grant = permissions.grant('PRODUCT', 'READ');

    expect(grant).toEqual({ every: false, owned: false, keys: new Set(['LAMP', 'DESK', 'CHAIR']) });
  });

  it('grants each action of a policy on its own', () => {
    expect(permissions.grant('PRODUCT', 'UPDATE')).toEqual({ every: false, owned: true, keys: new Set() });
    expect(permissions.grant('PRODUCT', 'CREATE')).toEqual({ every: false, owned: true, keys: new Set() });
    expect(permissions.grant('BATCH', 'READ').every).toBe(true);
  });

  it('grants nothing for a resource and action no policy names', () => {
    expect(permissions.grant('PRODUCT', 'DELETE')).toEqual({ every: false, owned: false, keys: new Set() });
    expect(grantsAny(permissions.grant('USER', 'READ'))).toBe(false);
    expect(grantsAny(permissions.grant('PRODUCT', 'READ'))).toBe(true);
  });

  it('selects something when any one of "*", OWNER or a key is granted, and nothing otherwise', () => {
    const grantOf = (selectors: string[]) =>
      permissionsFrom(ADA_ID, [], [{ resource: 'PRODUCT', actions: ['READ'], selectors }]).grant('PRODUCT', 'READ');

    expect(grantOf(['LAMP'])).toEqual({ every: false, owned: false, keys: new Set(['LAMP']) });
    expect(grantOf(['OWNER'])).toEqual({ every: false, owned: true, keys: new Set() });
    expect(grantOf(['*'])).toEqual({ every: true, owned: false, keys: new Set() });
    expect([['LAMP'], ['OWNER'], ['*']].map((selectors) => grantsAny(grantOf(selectors)))).toEqual([true, true, true]);
    expect(grantsAny(grantOf([]))).toBe(false);
  });

  it('remembers the principal and the names of the roles held', () => {
    expect(permissions.principal).toBe(ADA_ID);
    expect([...permissions.roles]).toEqual(['clerk', 'auditor']);
  });

  it('gives an anonymous caller nothing, not even what OWNER would select', () => {
    const anonymous = permissionsFrom(null, [], clerk);

    expect(anonymous.grant('PRODUCT', 'UPDATE').owned).toBe(false);
    expect(grantsAny(NO_PERMISSIONS.grant('PRODUCT', 'READ'))).toBe(false);
  });
});

describe('read scopes: what a view may return, as data', () => {
  it('is everything when a policy selects "*"', () => {
    expect(scopeOf(permissionsFrom(ADA_ID, [], auditor), 'BATCH')).toBe(EVERYTHING);
  });

  it('is the keys, sorted, and the owner when OWNER is granted', () => {
    const permissions = permissionsFrom(
      ADA_ID,
      [],
      [...clerk, { resource: 'PRODUCT', actions: ['READ'], selectors: ['OWNER'] }],
    );

    expect(scopeOf(permissions, 'PRODUCT')).toEqual({ every: false, keys: ['DESK', 'LAMP'], ownerId: ADA_ID });
  });

  it('is nothing for a resource nobody granted, and follows the action asked for', () => {
    const permissions = permissionsFrom(ADA_ID, [], clerk);

    expect(scopeOf(permissions, 'USER')).toEqual({ every: false, keys: [], ownerId: null });
    expect(scopeOf(permissions, 'PRODUCT', 'UPDATE')).toEqual({ every: false, keys: [], ownerId: ADA_ID });
  });
});

describe('allows: may the caller do this action on this instance?', () => {
  const permissions = permissionsFrom(ADA_ID, ['clerk'], clerk);

  it('allows a listed key, or anything under "*", without asking who owns it', async () => {
    const { asked, lookup } = ownership({ exists: true, owned: false });

    expect(await allows(permissions, 'PRODUCT', 'READ', 'LAMP', lookup)).toBe(true);
    expect(await allows(permissionsFrom(ADA_ID, [], auditor), 'BATCH', 'READ', 'any-batch', lookup)).toBe(true);
    expect(asked.count).toBe(0);
  });

  it('refuses a key not listed without asking who owns it when no OWNER selector could allow it', async () => {
    const { asked, lookup } = ownership({ exists: true, owned: true });

    expect(await allows(permissions, 'PRODUCT', 'READ', 'CHAIR', lookup)).toBe(false);
    expect(asked.count).toBe(0);
  });

  it('with OWNER, allows an instance the caller owns and refuses one they do not', async () => {
    expect(
      await allows(permissions, 'PRODUCT', 'UPDATE', 'LAMP', ownership({ exists: true, owned: true }).lookup),
    ).toBe(true);
    expect(
      await allows(permissions, 'PRODUCT', 'UPDATE', 'LAMP', ownership({ exists: true, owned: false }).lookup),
    ).toBe(false);
  });

  it('with OWNER, allows CREATE of an instance that does not exist yet (its creator becomes its owner)', async () => {
    expect(
      await allows(permissions, 'PRODUCT', 'CREATE', 'NEW-SKU', ownership({ exists: false, owned: false }).lookup),
    ).toBe(true);
  });

  it("with OWNER, refuses CREATE of someone else's existing instance, and any other action on a missing one", async () => {
    expect(
      await allows(permissions, 'PRODUCT', 'CREATE', 'LAMP', ownership({ exists: true, owned: false }).lookup),
    ).toBe(false);
    expect(
      await allows(permissions, 'PRODUCT', 'UPDATE', 'GHOST', ownership({ exists: false, owned: false }).lookup),
    ).toBe(false);
  });

  it('refuses an anonymous caller even where OWNER is granted', async () => {
    const anonymous = permissionsFrom(null, [], clerk);

    expect(
      await allows(anonymous, 'PRODUCT', 'CREATE', 'NEW-SKU', ownership({ exists: false, owned: false }).lookup),
    ).toBe(false);
  });
});

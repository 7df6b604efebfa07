import { EVERYTHING, type Scope } from '../../../src/core/access.ts';
import type { IdentityViews, UserView } from '../../../src/identity/services/views.ts';
import { keysScope, NOTHING } from '../../support/scopes.ts';

/**
 * What the identity views answer, whatever stores the users: the fake in tests/unit and the slonik views on pg-mem
 * in tests/integration run this same suite over the same three accounts.
 */
export type SeededUser = Omit<UserView, 'roles'> & { readonly roles: readonly ('admin' | 'member')[] };

export type IdentityViewsSubject = {
  /** The views as a caller whose read scope of USER is `scope`. */
  views(scope: Scope): IdentityViews;
  end(): Promise<void>;
};

export const ADA: SeededUser = {
  id: '5d9f0a52-8a0e-4d3b-9d5c-1f2e3a4b5c6d',
  email: 'ada@example.com',
  name: 'Ada',
  roles: ['member', 'admin'],
  createdAt: new Date('2026-11-01T10:00:00.123Z'),
};
export const BOB: SeededUser = {
  id: '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d',
  email: 'bob@example.com',
  name: 'Bob',
  roles: ['member'],
  createdAt: new Date('2026-11-02T10:00:00.000Z'),
};
export const CAROL: SeededUser = {
  id: 'c0ffee00-0000-4000-8000-00000000000c',
  email: 'carol@example.com',
  name: 'Carol',
  roles: [],
  createdAt: new Date('2026-11-03T10:00:00.000Z'),
};
export const SEEDED_USERS = [ADA, BOB, CAROL];

const viewOf = (user: SeededUser): UserView => ({ ...user, roles: [...user.roles].sort() });
const UNKNOWN = 'ffffffff-ffff-4fff-8fff-ffffffffffff';

/** `makeSubject` gets a store holding exactly SEEDED_USERS. */
export const describeIdentityViewsContract = (makeSubject: () => Promise<IdentityViewsSubject>): void => {
  let subject: IdentityViewsSubject;
  beforeEach(async () => {
    subject = await makeSubject();
  });
  afterEach(async () => subject.end());

  it('reads a user as its view, roles sorted; an unknown or malformed id is nobody', async () => {
    const views = subject.views(EVERYTHING);

    expect(await views.userById(ADA.id)).toEqual(viewOf(ADA));
    expect(await views.userById(CAROL.id)).toEqual(viewOf(CAROL));
    expect(await views.userById(UNKNOWN)).toBeNull();
    expect(await views.userById('lamp')).toBeNull();
  });

  it('reads an id written in capitals as the same user, as a uuid column compares them', async () => {
    expect(await subject.views(EVERYTHING).userById(ADA.id.toUpperCase())).toEqual(viewOf(ADA));
    expect(await subject.views(EVERYTHING).usersById([BOB.id.toUpperCase()])).toEqual([viewOf(BOB)]);
  });

  it('shows only the users the scope selects: by key, or the caller as owner of their account', async () => {
    const byKey = subject.views(keysScope([BOB.id, 'not-a-uuid']));
    const asOwner = subject.views(keysScope([], CAROL.id));
    const nothing = subject.views(NOTHING);

    expect([await byKey.userById(ADA.id), await byKey.userById(BOB.id)]).toEqual([null, viewOf(BOB)]);
    expect([await asOwner.userById(ADA.id), await asOwner.userById(CAROL.id)]).toEqual([null, viewOf(CAROL)]);
    expect(await nothing.userById(ADA.id)).toBeNull();
  });

  it('answers many ids at once, one answer per id in order, null where unknown, malformed or out of scope', async () => {
    const views = subject.views(keysScope([ADA.id, CAROL.id]));

    expect(await views.usersById([CAROL.id, 'lamp', BOB.id, ADA.id, UNKNOWN, CAROL.id])).toEqual([
      viewOf(CAROL),
      null,
      null,
      viewOf(ADA),
      null,
      viewOf(CAROL),
    ]);
    expect(await views.usersById([])).toEqual([]);
  });

  it('reads the signed-in user and tells whether an account exists, whatever the scope', async () => {
    const views = subject.views(NOTHING);

    expect(await views.signedInUser(BOB.id)).toEqual(viewOf(BOB));
    expect(await views.signedInUser('lamp')).toBeNull();
    expect([await views.userExists(BOB.id), await views.userExists(UNKNOWN), await views.userExists('lamp')]).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('pages users by email with cursors, counting only those in scope', async () => {
    const views = subject.views(EVERYTHING);
    const first = await views.users({ first: 2 });
    const rest = await views.users({ first: 2, after: first.pageInfo.endCursor });

    expect(first.edges.map((edge) => edge.node.email)).toEqual([ADA.email, BOB.email]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(rest.edges.map((edge) => edge.node)).toEqual([viewOf(CAROL)]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    expect(await first.totalCount()).toBe(3);

    const scoped = await subject.views(keysScope([BOB.id], CAROL.id)).users({ last: 5 });
    expect(scoped.edges.map((edge) => edge.node.email)).toEqual([BOB.email, CAROL.email]);
    expect(await scoped.totalCount()).toBe(2);
  });
};

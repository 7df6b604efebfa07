import { toGlobalId } from 'graphql-relay';
import { NO_PERMISSIONS } from '../../../src/core/access.ts';
import { registerUser } from '../../../src/identity/domain/user.ts';
import { identityResources } from '../../../src/identity/entrypoints/resolvers.ts';
import type { GraphQLContext } from '../../../src/contexts.ts';
import { FakeIdentityStore } from '../../fakes/identity/fake-identity-store.ts';
import { createFakeIdentityViews } from '../../fakes/identity/fake-identity-views.ts';

const ADA_ID = '5d9f0a52-8a0e-4d3b-9d5c-1f2e3a4b5c6d';
const BOB_ID = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const NOBODY_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

const USER = identityResources.USER.subject;

/** Ownership reads only the identity views and the caller: the rest of the context is never touched. */
const contextOf = (principal: string | null): GraphQLContext => {
  const store = new FakeIdentityStore();
  for (const id of [ADA_ID, BOB_ID]) {
    store.seedUser(
      registerUser({ id, email: `${id}@example.com`, name: 'Someone', passwordHash: 'h', now: new Date() }),
    );
  }
  const partial = {
    views: { identity: createFakeIdentityViews(store) },
    access: { principal, permissions: async () => NO_PERMISSIONS },
  };
  return partial as unknown as GraphQLContext;
};

describe('what @auth learns about users (identityResources.USER)', () => {
  it("reads a user's global id as the UUID inside it, lower-cased as Postgres prints uuids", () => {
    expect(USER.keyFromArgument?.(toGlobalId('User', ADA_ID))).toBe(ADA_ID);
    expect(USER.keyFromArgument?.(toGlobalId('User', ADA_ID.toUpperCase()))).toBe(ADA_ID);
  });

  it.each([
    ['the global id of another type', toGlobalId('Product', ADA_ID)],
    ['a User global id whose key is not a uuid', toGlobalId('User', "' OR 1=1 --")],
    ['a bare uuid, not a global id', ADA_ID],
    ['an empty string', ''],
  ])('reads %s as no key at all', (_case, value) => {
    expect(USER.keyFromArgument?.(value)).toBeNull();
  });

  it('says a user owns their own account and no other', async () => {
    const context = contextOf(ADA_ID);

    expect(await USER.ownership(ADA_ID, context)).toEqual({ exists: true, owned: true });
    expect(await USER.ownership(BOB_ID, context)).toEqual({ exists: true, owned: false });
  });

  it('says whether the account exists whatever the caller may read, and that anonymous callers own nothing', async () => {
    expect(await USER.ownership(NOBODY_ID, contextOf(ADA_ID))).toEqual({ exists: false, owned: false });
    expect(await USER.ownership(BOB_ID, contextOf(null))).toEqual({ exists: true, owned: false });
  });
});

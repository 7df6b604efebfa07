import { EVERYTHING } from '../../../src/core/access.ts';
import { createIdentityViews } from '../../../src/identity/adapters/slonik-identity-views.ts';
import { createPgMemDatabase, type PgMemDatabase } from '../../support/pg-mem.ts';
import { fixedScope, insertUser, keysScope, NOTHING } from './identity-rows.ts';

let database: PgMemDatabase;

const ADA_ID = '5d9f0a52-8a0e-4d3b-9d5c-1f2e3a4b5c6d';
const BOB_ID = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const NOBODY_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

beforeEach(async () => {
  database = await createPgMemDatabase();
  await insertUser(database, {
    id: ADA_ID,
    email: 'ada@example.com',
    name: 'Ada',
    roles: ['member', 'editor', 'admin'],
  });
  await insertUser(database, { id: BOB_ID, email: 'bob@example.com', name: 'Bob' });
});
afterEach(async () => database.end());

const viewsSeeing = (scope = EVERYTHING) => createIdentityViews(database.pool, fixedScope(scope));

describe('the identity views, one user at a time', () => {
  it('reads a user as its view shape, roles sorted, createdAt a Date, and no password hash', async () => {
    expect(await viewsSeeing().userById(ADA_ID)).toEqual({
      id: ADA_ID,
      email: 'ada@example.com',
      name: 'Ada',
      roles: ['admin', 'editor', 'member'],
      createdAt: expect.any(Date),
    });
  });

  it('reads a user without roles with an empty roles list', async () => {
    expect(await viewsSeeing().userById(BOB_ID)).toMatchObject({ id: BOB_ID, roles: [] });
  });

  it('answers null for an id nobody has, and for one that is not a uuid', async () => {
    expect(await viewsSeeing().userById(NOBODY_ID)).toBeNull();
    expect(await viewsSeeing().userById("' OR 1=1 --")).toBeNull();
  });

  it("asks the caller's read scope of USER", async () => {
    const scope = fixedScope(EVERYTHING);

    await createIdentityViews(database.pool, scope).userById(ADA_ID);

    expect(scope.asked).toEqual(['USER']);
  });

  it.each([
    ['every user', EVERYTHING, [ADA_ID, BOB_ID]],
    ['the users whose ids it lists', keysScope([BOB_ID, NOBODY_ID]), [BOB_ID]],
    ["the caller's own account when it selects what the caller owns", keysScope([], ADA_ID), [ADA_ID]],
    ['listed ids and the own account together', keysScope([BOB_ID], ADA_ID), [ADA_ID, BOB_ID]],
    ['nobody when it selects nothing', NOTHING, []],
    ['nobody for listed keys that are not user ids', keysScope(['editor', '*', "' OR TRUE --"]), []],
  ])('finds by id only what the scope selects: %s', async (_case, scope, visible) => {
    const views = viewsSeeing(scope);

    const found = await Promise.all([ADA_ID, BOB_ID].map((id) => views.userById(id)));

    expect(found.filter((user) => user !== null).map((user) => user.id)).toEqual(visible);
  });

  it('reads the signed-in user whatever the scope: everyone may read their own account', async () => {
    expect(await viewsSeeing(NOTHING).signedInUser(ADA_ID)).toMatchObject({
      id: ADA_ID,
      roles: ['admin', 'editor', 'member'],
    });
    expect(await viewsSeeing(NOTHING).signedInUser(NOBODY_ID)).toBeNull();
    expect(await viewsSeeing(NOTHING).signedInUser('not-a-uuid')).toBeNull();
  });

  it('tells whether an account exists whatever the scope, and never for a malformed id', async () => {
    const views = viewsSeeing(NOTHING);

    expect(await Promise.all([BOB_ID, NOBODY_ID, 'not-a-uuid'].map((id) => views.userExists(id)))).toEqual([
      true,
      false,
      false,
    ]);
  });
});

import { EVERYTHING, type Scope } from '../../../src/core/access.ts';
import type { PageArgs } from '../../../src/core/pagination.ts';
import { createIdentityViews } from '../../../src/identity/adapters/slonik-identity-views.ts';
import { createPgMemDatabase, type PgMemDatabase } from '../../support/pg-mem.ts';
import { expectEmptyConnection, expectRelayConformance, type Pager } from '../../support/relay-conformance.ts';
import { fixedScope, insertUser, keysScope, NOTHING } from './identity-rows.ts';

let database: PgMemDatabase;

/** Fourteen users, created out of email order, each named by a letter: email user-<letter>@example.com. */
const LETTERS = 'nbmcldkejfigha'.split('');
const idOf = (letter: string) => `00000000-0000-4000-8000-0000000000${(LETTERS.indexOf(letter) + 10).toString()}`;
const emailOf = (letter: string) => `user-${letter}@example.com`;
const ALL_EMAILS = [...LETTERS].sort().map(emailOf);

beforeEach(async () => {
  database = await createPgMemDatabase();
  for (const letter of LETTERS) {
    // Several roles on some users: a page must count users, not user-role rows.
    const roles = letter < 'e' ? ['member', 'admin'] : ['member'];
    await insertUser(database, { id: idOf(letter), email: emailOf(letter), roles });
  }
});
afterEach(async () => database.end());

/** The users connection under `scope`, as the conformance walker reads pages (emails stand in for SKUs). */
const pagerFor = (scope: Scope): Pager => {
  const views = createIdentityViews(database.pool, fixedScope(scope));
  return async (args: PageArgs) => {
    const page = await views.users(args);
    return {
      edges: page.edges.map(({ cursor, node }) => ({ cursor, node: { sku: node.email } })),
      pageInfo: page.pageInfo,
      totalCount: await page.totalCount(),
    };
  };
};

describe('the users connection', () => {
  it('lists every user by email, each with all its roles, when the scope selects every user', async () => {
    const page = await createIdentityViews(database.pool, fixedScope(EVERYTHING)).users({ first: 3 });

    expect(page.edges.map(({ node }) => [node.email, node.roles])).toEqual([
      ['user-a@example.com', ['admin', 'member']],
      ['user-b@example.com', ['admin', 'member']],
      ['user-c@example.com', ['admin', 'member']],
    ]);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(await page.totalCount()).toBe(14);
  });

  it('pages through every user exactly, by any page size and in either direction', async () => {
    await expectRelayConformance(pagerFor(EVERYTHING), ALL_EMAILS, [1, 4, 14]);
  });

  it('pages through exactly the listed users and the own account, counting only those', async () => {
    const [owner, ...others] = LETTERS.filter((letter) => letter !== 'c' && letter !== 'm');
    if (!owner) throw new Error('the fixture has users');
    const scope = keysScope(others.map(idOf), idOf(owner));
    const listed = [owner, ...others];

    await expectRelayConformance(pagerFor(scope), [...listed].sort().map(emailOf), [1, 5]);
  });

  it('shows only the own account when the scope selects what the caller owns', async () => {
    const page = await pagerFor(keysScope([], idOf('k')))({});

    expect(page.edges.map(({ node }) => node.sku)).toEqual(['user-k@example.com']);
    expect(page.totalCount).toBe(1);
  });

  it('is empty when the scope selects nothing, or only keys that are not user ids', async () => {
    await expectEmptyConnection(pagerFor(NOTHING));
    await expectEmptyConnection(pagerFor(keysScope(['*', 'member', "') OR TRUE --"])));
  });

  it('refuses a cursor of another list and an oversized page as invalid input', async () => {
    const views = createIdentityViews(database.pool, fixedScope(EVERYTHING));
    const foreign = Buffer.from(JSON.stringify({ c: 'roles', k: ['admin', 'admin'] })).toString('base64url');

    await expect(views.users({ after: foreign })).rejects.toMatchObject({
      category: 'InvalidInput',
      name: 'InvalidCursor',
    });
    await expect(views.users({ first: 101 })).rejects.toMatchObject({
      category: 'InvalidInput',
      name: 'InvalidPageSize',
    });
  });
});

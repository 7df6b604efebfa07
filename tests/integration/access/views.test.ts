import { createAccessViews } from '../../../src/access/adapters/slonik-access-views.ts';
import type { AccessViews } from '../../../src/access/services/views.ts';
import { EVERYTHING, type Scope } from '../../../src/core/access.ts';
import { DomainError } from '../../../src/core/errors.ts';
import { createPgMemDatabase, type PgMemDatabase } from '../../support/pg-mem.ts';
import { expectEmptyConnection, expectRelayConformance, type Pager } from '../../support/relay-conformance.ts';
import { fixedScope, insertRole, insertUser, keysScope, NOTHING } from './access-rows.ts';
import { RESOURCES } from '../../support/request-context.ts';

let database: PgMemDatabase;

const ADA_ID = '5d9f0a52-8a0e-4d3b-9d5c-1f2e3a4b5c6d';
const BOB_ID = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const READ_LAMP = { resource: 'PRODUCT', actions: ['READ'], selectors: ['LAMP'] };
const AUDIT = { resource: 'BATCH', actions: ['READ'], selectors: ['*'] };

beforeEach(async () => {
  database = await createPgMemDatabase();
  await insertRole(database, 'clerk', [READ_LAMP]);
  await insertRole(database, 'auditor', [AUDIT]);
  await insertUser(database, ADA_ID, ['member', 'clerk']);
  await insertUser(database, BOB_ID);
});
afterEach(async () => database.end());

const viewsSeeing = (scope: Scope = EVERYTHING): AccessViews =>
  createAccessViews(database.pool, fixedScope(scope), RESOURCES);

/** The SELECTs `work` sends (the pool also sends DISCARD ALL and transaction control). */
const selectsOf = async (work: () => Promise<unknown>): Promise<string[]> => {
  const start = database.statements.length;
  await work();
  return database.statements.slice(start).filter((statement) => /^\s*SELECT\b/i.test(statement));
};

/** The roles connection as the Relay conformance walker reads it (names stand in for its node keys). */
const pagerOf =
  (views: AccessViews): Pager =>
  async (args) => {
    const page = await views.roles(args);
    return {
      edges: page.edges.map(({ cursor, node }) => ({ cursor, node: { sku: node.name } })),
      pageInfo: page.pageInfo,
      totalCount: await page.totalCount(),
    };
  };

const namesOf = async (views: AccessViews): Promise<{ names: string[]; totalCount: number }> => {
  const page = await views.roles({ first: 100 });
  return { names: page.edges.map((edge) => edge.node.name), totalCount: await page.totalCount() };
};

describe("a user's held roles (how a request's permissions load)", () => {
  it('are the names and the policies of every role the user holds, read in one statement', async () => {
    const views = viewsSeeing();
    let held;

    const selects = await selectsOf(async () => {
      held = await views.heldRoles(ADA_ID);
    });

    expect(selects).toHaveLength(1);
    expect(held).toEqual({
      roles: ['clerk', 'member'],
      policies: [
        READ_LAMP,
        { resource: 'USER', actions: ['READ'], selectors: ['OWNER'] },
        { resource: 'ROLE', actions: ['READ'], selectors: ['OWNER'] },
      ],
    });
  });

  it('are none for a user without roles, and for an id that is not a uuid (without asking the database)', async () => {
    const views = viewsSeeing();

    expect(await views.heldRoles(BOB_ID)).toEqual({ roles: [], policies: [] });
    expect(await selectsOf(() => views.heldRoles("' OR TRUE --"))).toEqual([]);
  });

  it('ignore the read scope: loading permissions must not depend on them', async () => {
    expect((await viewsSeeing(NOTHING).heldRoles(ADA_ID)).roles).toEqual(['clerk', 'member']);
  });
});

describe('the roles connection', () => {
  it("asks the caller's read scope of ROLE", async () => {
    const scope = fixedScope(EVERYTHING);

    await createAccessViews(database.pool, scope, RESOURCES).roles({});

    expect(scope.asked).toEqual(['ROLE']);
  });

  it.each([
    ['every role', EVERYTHING, ['admin', 'auditor', 'clerk', 'member']],
    ['the roles it names', keysScope(['auditor', 'member', 'no-such-role']), ['auditor', 'member']],
    ['the roles the caller holds when it selects what the caller owns', keysScope([], ADA_ID), ['clerk', 'member']],
    ['named and held roles together', keysScope(['admin'], ADA_ID), ['admin', 'clerk', 'member']],
    ['no role for an owner who holds none', keysScope([], BOB_ID), []],
    ['no role when it selects nothing', NOTHING, []],
  ])('lists, and counts, only what the scope selects: %s', async (_case, scope, visible) => {
    expect(await namesOf(viewsSeeing(scope))).toEqual({ names: visible, totalCount: visible.length });
  });

  it('is an empty connection for a caller who may read no role', async () => {
    await expectEmptyConnection(pagerOf(viewsSeeing(NOTHING)));
  });

  it('pages by name as the Relay spec requires', async () => {
    const names = Array.from({ length: 12 }, (_, index) => `role-${String(index).padStart(2, '0')}`);
    for (const name of [...names].reverse()) await insertRole(database, name);

    await expectRelayConformance(
      pagerOf(viewsSeeing()),
      ['admin', 'auditor', 'clerk', 'member', ...names],
      [1, 5, 100],
    );
  });

  it('pages within the scope: cursors and counts never reach past what the caller may read', async () => {
    const names = Array.from({ length: 20 }, (_, index) => `role-${String(index).padStart(2, '0')}`);
    for (const name of names) await insertRole(database, name);
    const visible = names.filter((_, index) => index % 2 === 0);

    await expectRelayConformance(
      pagerOf(viewsSeeing(keysScope(visible, ADA_ID))),
      [...visible, 'clerk', 'member'].sort(),
      [1, 4],
    );
  });

  it("refuses another list's cursor as bad input", async () => {
    const cursor = Buffer.from(JSON.stringify({ c: 'products:SKU:ASC', k: ['A', 'A'] })).toString('base64url');

    await expect(viewsSeeing().roles({ after: cursor })).rejects.toMatchObject({
      category: 'InvalidInput',
      details: { field: 'after' },
    });
    await expect(viewsSeeing().roles({ first: 101 })).rejects.toBeInstanceOf(DomainError);
  });
});

describe('roles by name (unscoped: names and the built-in flag are not secret)', () => {
  it('finds a role as its view shape, and null for a name nobody has', async () => {
    const views = viewsSeeing(NOTHING);

    expect(await views.roleByName('clerk')).toEqual({
      name: 'clerk',
      builtIn: false,
      version: 1,
      policies: [READ_LAMP],
    });
    expect(await views.roleByName('admin')).toMatchObject({ name: 'admin', builtIn: true });
    expect(await views.roleByName('nobody')).toBeNull();
  });

  it('lists the named roles that exist, in name order, each once', async () => {
    expect((await viewsSeeing().rolesNamed(['member', 'gone', 'clerk', 'member'])).map((role) => role.name)).toEqual([
      'clerk',
      'member',
    ]);
    expect(await viewsSeeing().rolesNamed([])).toEqual([]);
  });

  it('batches the roles of many users into one statement (User.roles of a whole page)', async () => {
    const views = viewsSeeing();
    let answers: string[][] = [];

    const selects = await selectsOf(async () => {
      const found = await Promise.all(
        [['member', 'clerk'], ['auditor'], [], ['clerk']].map((names) => views.rolesNamed(names)),
      );
      answers = found.map((roles) => roles.map((role) => role.name));
    });

    expect(answers).toEqual([['clerk', 'member'], ['auditor'], [], ['clerk']]);
    expect(selects).toHaveLength(1);
  });
});

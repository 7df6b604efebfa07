/**
 * Every access command that changes roles, policies or grants announces it on kingdom_access from its own
 * transaction, so the permissions every API instance caches are dropped (src/access/adapters/permissions-cache.ts);
 * one that changes nothing (a refusal, a stale expectedVersion, the last administrator kept) announces nothing.
 * Through the real bus and repositories, with pg-mem's recording stand-in for pg_notify.
 */
import { bootstrap, type Application } from '../../../src/bootstrap.ts';
import { DomainError } from '../../../src/core/errors.ts';
import { testConfig } from '../../support/config.ts';
import { createRecordingLogger } from '../../support/graphql.ts';
import { createPgMemDatabase, type PgMemDatabase } from '../../support/pg-mem.ts';
import { insertRole, insertUser } from './access-rows.ts';

const ADA = '5d9f0a52-8a0e-4d3b-9d5c-1f2e3a4b5c6d';
const BOB = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const READ_LAMP = { resource: 'PRODUCT', actions: ['READ'], selectors: ['LAMP'] };
const READ_DESK = { resource: 'PRODUCT', actions: ['READ'], selectors: ['DESK'] };

let database: PgMemDatabase;
let app: Application;

beforeEach(async () => {
  database = await createPgMemDatabase();
  await insertRole(database, 'clerk', [READ_LAMP]);
  await insertUser(database, ADA, ['admin']);
  await insertUser(database, BOB, ['clerk']);
  app = bootstrap({ logger: createRecordingLogger(), pool: database.pool, config: testConfig() });
  database.notifications.splice(0);
});
afterEach(async () => database.end());

/** What the access channel heard since the last call. */
const announced = () =>
  database.notifications.splice(0).flatMap(({ channel, payload }) => (channel === 'kingdom_access' ? [payload] : []));

const refusal = async (work: Promise<unknown>): Promise<string> => {
  const error = await work.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error.category;
};

describe('what each access command announces on kingdom_access', () => {
  it('a grant and a revocation: the user whose roles changed', async () => {
    await app.bus.execute({ type: 'GrantRole', userId: ADA, role: 'clerk' });
    expect(announced()).toEqual([`user:${ADA}`]);

    await app.bus.execute({ type: 'RevokeRole', userId: BOB, role: 'clerk' });
    expect(announced()).toEqual([`user:${BOB}`]);

    // Granting what is held, revoking what is not: nothing changed, nothing announced.
    await app.bus.execute({ type: 'GrantRole', userId: ADA, role: 'clerk' });
    await app.bus.execute({ type: 'RevokeRole', userId: BOB, role: 'clerk' });
    expect(announced()).toEqual([]);
  });

  it("a role's new policies (with or without expectedVersion) and its deletion: the role", async () => {
    await app.bus.execute({ type: 'UpdateRolePolicies', name: 'clerk', policies: [READ_DESK] });
    expect(announced()).toEqual(['role:clerk']);

    await app.bus.execute({ type: 'UpdateRolePolicies', name: 'clerk', policies: [READ_LAMP], expectedVersion: 2 });
    expect(announced()).toEqual(['role:clerk']);

    await app.bus.execute({ type: 'DeleteRole', name: 'clerk' });
    expect(announced()).toEqual(['role:clerk']);
  });

  it('nothing for a new role (nobody holds it yet) nor for any refusal', async () => {
    await app.bus.execute({ type: 'CreateRole', name: 'auditor', policies: [READ_LAMP] });
    expect(announced()).toEqual([]);

    expect(
      await refusal(
        app.bus.execute({ type: 'UpdateRolePolicies', name: 'clerk', policies: [READ_DESK], expectedVersion: 7 }),
      ),
    ).toBe('Conflict');
    // The last administrator keeps the role.
    expect(await refusal(app.bus.execute({ type: 'RevokeRole', userId: ADA, role: 'admin' }))).toBe('InvalidInput');
    expect(await refusal(app.bus.execute({ type: 'GrantRole', userId: ADA, role: 'no-such-role' }))).toBe('NotFound');
    expect(announced()).toEqual([]);
  });
});

import { sql } from 'slonik';
import { createIdentityViews } from '../../../src/identity/adapters/slonik-identity-views.ts';
import type { IdentityViews } from '../../../src/identity/services/views.ts';
import { createPgMemDatabase, type PgMemDatabase } from '../../support/pg-mem.ts';

let database: PgMemDatabase;
let views: IdentityViews;

const ADA_ID = '5d9f0a52-8a0e-4d3b-9d5c-1f2e3a4b5c6d';
const BOB_ID = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';

beforeEach(async () => {
  database = await createPgMemDatabase();
  views = createIdentityViews(database.pool);
});
afterEach(async () => database.end());

const insertUser = (id: string, email: string, name: string, roles: readonly string[] = []) =>
  database.pool.transaction(async (connection) => {
    await connection.query(sql.unsafe`
      INSERT INTO users (id, email, name, password_hash, version) VALUES (${id}, ${email}, ${name}, 'secret-hash', 1)`);
    for (const role of roles) await connection.query(sql.unsafe`INSERT INTO user_roles (user_id, role) VALUES (${id}, ${role})`);
  });

describe('the identity views', () => {
  it('reads a user as its view shape, roles sorted, createdAt a Date, and no password hash', async () => {
    await insertUser(ADA_ID, 'ada@example.com', 'Ada', ['editor', 'admin']);
    await insertUser(BOB_ID, 'bob@example.com', 'Bob', ['auditor']);

    const view = await views.userById(ADA_ID);

    expect(view).toEqual({ id: ADA_ID, email: 'ada@example.com', name: 'Ada', roles: ['admin', 'editor'], createdAt: expect.any(Date) });
  });

  it('reads a user without roles with an empty roles list', async () => {
    await insertUser(ADA_ID, 'ada@example.com', 'Ada');

    expect(await views.userById(ADA_ID)).toMatchObject({ id: ADA_ID, roles: [] });
  });

  it('answers null for an id nobody has, and for one that is not a uuid', async () => {
    await insertUser(ADA_ID, 'ada@example.com', 'Ada');

    expect(await views.userById(BOB_ID)).toBeNull();
    expect(await views.userById("' OR 1=1 --")).toBeNull();
  });
});

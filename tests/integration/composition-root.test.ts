/**
 * The one composition root, as every process calls it (the API, the worker, the Lambda handler, the seed): given a
 * pool and a configuration, every listed context is wired with its production adapters, whatever process asks.
 */
import { bootstrap } from '../../src/bootstrap.ts';
import { testConfig } from '../support/config.ts';
import { createRecordingLogger } from '../support/graphql.ts';
import { createPgMemDatabase, type PgMemDatabase } from '../support/pg-mem.ts';

let database: PgMemDatabase;
beforeEach(async () => {
  database = await createPgMemDatabase();
});
afterEach(async () => database.end());

const application = () => bootstrap({ logger: createRecordingLogger(), pool: database.pool, config: testConfig() });

describe('the composition root every process uses', () => {
  it('handles identity commands with no identity wiring of its own (as the worker once could not)', async () => {
    const app = application();

    const signedUp = await app.bus.execute({
      type: 'SignUp',
      email: 'ada@example.com',
      password: 'correct horse battery staple',
      name: 'Ada',
    });

    // The token it issued is the one the same application authenticates requests with.
    expect(await app.authenticate(signedUp.accessToken)).toEqual({
      userId: signedUp.userId,
      sessionId: expect.any(String),
      expiresAt: expect.any(Date),
    });
    expect(await app.authenticate(`${signedUp.accessToken}x`)).toBeNull();
  });

  it('authenticates a token only while its session is live: log-out ends it, at once, without a listener', async () => {
    const app = application();
    const signedUp = await app.bus.execute({
      type: 'SignUp',
      email: 'ada@example.com',
      password: 'correct horse battery staple',
      name: 'Ada',
    });
    expect(await app.authenticate(signedUp.accessToken)).not.toBeNull();

    await app.bus.execute({ type: 'LogOut', refreshToken: signedUp.refreshToken });

    expect(await app.authenticate(signedUp.accessToken)).toBeNull();
    expect(database.notifications).toEqual([
      { channel: 'kingdom_sessions', payload: expect.stringMatching(/^session:[0-9a-f-]{36}$/) },
    ]);
  });

  it('loads a user’s permissions through the context that manages them, and knows the resources the contexts declare', async () => {
    const app = application();
    const { userId } = await app.bus.execute({
      type: 'SignUp',
      email: 'grace@example.com',
      password: 'correct horse battery staple',
      name: 'Grace',
    });

    const permissions = await app.permissionsOf(userId);

    // Sign-up grants the built-in member role: its owner may read their own account.
    expect(permissions.roles).toEqual(new Set(['member']));
    expect(permissions.grant('USER', 'READ')).toMatchObject({ every: false, owned: true });
    // Each context declares its own: inventory PRODUCT and BATCH, identity USER, access ROLE, jobs JOB.
    expect([...app.resources.keys()].sort()).toEqual(['BATCH', 'JOB', 'PRODUCT', 'ROLE', 'USER']);
  });

  it('builds each context’s views only when a request reads them', async () => {
    const touched: string[] = [];
    const app = bootstrap({
      logger: createRecordingLogger(),
      config: testConfig(),
      overrides: {
        inventory: {
          views: () => {
            touched.push('inventory');
            return {} as never;
          },
        },
      },
    });

    const views = app.viewsForRequest(async () => ({ every: true }));
    expect(touched).toEqual([]);
    void views.inventory;
    void views.inventory;
    expect(touched).toEqual(['inventory']);
    // No pool was given: a context whose real views are asked for says so, naming what is missing.
    expect(() => views.identity).toThrow('bootstrap: a database pool is required');
  });
});

/**
 * The database stops under a running server (Postgres restarted, a failover, `npm run dev` stopped in another
 * terminal): every request that needs it answers SERVICE_UNAVAILABLE, a code that tells a client to retry later,
 * with HTTP 503 when nothing of the operation could be answered, and never the driver's message (not even in
 * development, where other internal errors show theirs). The server stays up and serves again once the database
 * is back.
 */
import { jest } from '@jest/globals';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/free-port.ts';
import { graphql } from '../generated/index.ts';
import { ownCluster, type ClusterOwner } from './support/cluster-owner.ts';
import { graphqlOver, killLeftoverServers, spawnServer } from './support/process.ts';
import { eventually } from './support/worker-process.ts';

jest.setTimeout(90_000);
afterEach(killLeftoverServers);

const LOG_IN = graphql(`
  mutation DatabaseUnavailableLogIn {
    logIn(input: { email: "admin@kingdom.local", password: "kingdom-admin" }) {
      accessToken
    }
  }
`);

describe('a database that cannot be reached', () => {
  let dataDir: string;
  let port: number;
  let postgres: ClusterOwner | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kingdom-unavailable-'));
    // As root, embedded Postgres runs as a 'postgres' user, who must be able to reach the folder.
    await chmod(dataDir, 0o755);
    port = await freePort();
    postgres = await ownCluster(join(dataDir, 'pg'), port);
  });
  afterAll(async () => {
    await postgres?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('answers SERVICE_UNAVAILABLE (503 when nothing could be answered), stays up, and serves again once it is back', async () => {
    // Development: Sandbox, exposed internals and the job worker in the API process, the harshest case.
    const server = await spawnServer({ DATABASE_URL: postgres!.adminUrl('postgres'), LOG_FORMAT: 'json' });
    const signedIn = await graphqlOver(server.url, LOG_IN);
    expect(signedIn.body.errors).toBeUndefined();
    const admin = { authorization: `Bearer ${signedIn.body.data!.logIn.accessToken}` };

    await postgres!.stop();
    postgres = undefined;

    const whole = await graphqlOver(server.url, LOG_IN);
    expect(whole).toEqual({
      status: 503,
      body: {
        data: null,
        errors: [
          {
            message: 'The database is unavailable right now; try again shortly',
            path: ['logIn'],
            extensions: { code: 'SERVICE_UNAVAILABLE' },
          },
        ],
      },
    });
    expect(JSON.stringify(whole.body)).not.toMatch(/ECONN|127\.0\.0\.1|terminating|stack/i);

    // Part of the operation answered: 200, the answered part, and the code where the database was needed.
    const productId = Buffer.from('Product:RETRO-CLOCK').toString('base64');
    const partial = await graphqlOver(server.url, `{ __typename node(id: "${productId}") { id } }`);
    expect(partial.status).toBe(200);
    expect(partial.body.data).toEqual({ __typename: 'Query', node: null });
    expect(partial.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'SERVICE_UNAVAILABLE' } })]);

    // A signed-in caller cannot be authenticated without it (is the token's session still live?): the whole request
    // is SERVICE_UNAVAILABLE, never UNAUTHENTICATED, which would sign the client out.
    const signedInWhileDown = await graphqlOver(
      server.url,
      '{ __typename product(sku: "RETRO-CLOCK") { sku } }',
      {},
      admin,
    );
    expect(signedInWhileDown.status).toBe(503);
    expect(signedInWhileDown.body.errors).toEqual([
      expect.objectContaining({
        message: 'The database is unavailable right now; try again shortly',
        extensions: { code: 'SERVICE_UNAVAILABLE' },
      }),
    ]);

    expect((await fetch(new URL('/readyz', server.url))).status).toBe(503);
    expect(server.child.exitCode).toBeNull();

    // Back: the same server serves again, no restart needed.
    postgres = await ownCluster(join(dataDir, 'pg'), port);
    const again = await eventually(async () => {
      const answer = await graphqlOver(server.url, LOG_IN);
      return answer.status === 200 && !answer.body.errors ? answer : undefined;
    }, 'the server to serve again once the database is back');
    expect(again.body.data?.logIn).toEqual({ accessToken: expect.any(String) });

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});

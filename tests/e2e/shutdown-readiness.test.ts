/**
 * Behind a load balancer, SIGTERM first turns /readyz to 503 and keeps serving for SHUTDOWN_READINESS_DELAY_MS, so
 * the balancer (polling /readyz) stops routing here before the server stops accepting connections.
 */
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ SHUTDOWN_READINESS_DELAY_MS: '1500' });
});
afterAll(() => server.database.drop());

test('while stopping: readiness 503 at once, requests still served for the delay, then connections refused', async () => {
  const origin = new URL(server.url).origin;
  const ready = () => fetch(`${origin}/readyz`);
  expect((await ready()).status).toBe(200);

  const startedAt = Date.now();
  const stopped = server.stop();
  const draining = await ready();
  expect(draining.status).toBe(503);
  expect(await draining.json()).toEqual({ status: 'draining' });
  const served = await server.graphql('{ __typename }');
  expect(served).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });

  await stopped;
  expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1500);
  await expect(ready()).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
});

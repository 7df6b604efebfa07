import { once } from 'node:events';
import { connect } from 'node:net';
import { sql, StatementTimeoutError } from 'slonik';
import { createDatabasePool } from '../../src/platform/database/pool.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const post = (server: TestServer, body: string, headers: Record<string, string> = {}) =>
  fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('the HTTP shell in production mode', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ HTTP_BODY_LIMIT_BYTES: '2048' });
  });
  afterAll(() => server.close());

  test('/healthz answers without touching the database and /readyz after a query', async () => {
    const health = await fetch(new URL('/healthz', server.url));
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await fetch(new URL('/readyz', server.url));
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
  });

  test('a body over the configured limit is refused with 413 before it is parsed', async () => {
    const query = `{ __typename ${' '.repeat(4096)}}`;
    const response = await post(server, JSON.stringify({ query }));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });

  test('malformed JSON gets 400 with a typed error, and the server keeps serving', async () => {
    const response = await post(server, '{"query": ');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }],
    });
    expect((await server.graphql('{ __typename }')).status).toBe(200);
  });

  test('a request id is echoed when it is sane and replaced when it is not', async () => {
    const kept = await post(server, '{"query":"{ __typename }"}', { 'x-request-id': 'trace-123' });
    expect(kept.headers.get('x-request-id')).toBe('trace-123');
    const replaced = await post(server, '{"query":"{ __typename }"}', { 'x-request-id': 'bad id <script>' });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('unknown paths are 404 and point at /graphql', async () => {
    const response = await fetch(new URL('/nope', server.url));
    expect(response.status).toBe(404);
  });

  test('outside development, introspection is off and there is no landing page', async () => {
    const introspection = await server.graphql('{ __schema { types { name } } }');
    expect(introspection.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const page = await fetch(server.url, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/<html/i);
  });

  test('outside development, field suggestions do not leak the schema', async () => {
    const { body } = await server.graphql('{ produc(sku: "x") { sku } }');
    expect(body.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });

  test('/readyz turns 503 when the database goes away, while /healthz stays 200', async () => {
    const doomed = await startTestServer();
    try {
      await doomed.database.drop();
      const ready = await fetch(new URL('/readyz', doomed.url));
      expect(ready.status).toBe(503);
      expect((await fetch(new URL('/healthz', doomed.url))).status).toBe(200);
    } finally {
      await doomed.close();
    }
  });
});

describe('the HTTP shell in development mode', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ NODE_ENV: 'development' });
  });
  afterAll(() => server.close());

  test('serves the Apollo Sandbox landing page to browsers', async () => {
    const page = await fetch(server.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/sandbox/i);
  });

  test('allows introspection for the Sandbox and codegen', async () => {
    const { body } = await server.graphql('{ __schema { queryType { name } } }');
    expect(body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});

describe('slow clients and slow queries', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '2000' });
  });
  afterAll(() => server.close());

  test('a slowloris client trickling headers is cut off near the headers timeout, and others are still served', async () => {
    const socket = connect(server.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write('POST /graphql HTTP/1.1\r\nHost: localhost\r\n');
    const started = Date.now();
    // One more header line every 200 ms, never the blank line that ends them (bounded: at most 30 lines).
    const trickle = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 200);
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now() - started)));
    socket.on('error', () => undefined);
    const elapsed = await Promise.race([closed, new Promise<number>((resolve) => setTimeout(() => resolve(-1), 6000))]);
    clearInterval(trickle);
    socket.destroy();
    expect(elapsed).toBeGreaterThan(0);
    expect(elapsed).toBeLessThan(4000);
    expect((await server.graphql('{ __typename }')).status).toBe(200);
  });

  test('a query slower than DATABASE_STATEMENT_TIMEOUT_MS fails with StatementTimeoutError instead of hanging', async () => {
    const pool = await createDatabasePool(server.database.url, { statementTimeoutMs: 200 });
    try {
      const started = Date.now();
      await expect(pool.query(sql.unsafe`SELECT pg_sleep(5)`)).rejects.toBeInstanceOf(StatementTimeoutError);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await pool.end();
    }
  });
});

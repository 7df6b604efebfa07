import { startTestServer, type TestServer } from './support/server.ts';

const ALLOWED = 'https://app.example.com';
const query = JSON.stringify({ query: '{ __typename }' });
const corsHeaders = (response: Response) =>
  [...response.headers.keys()].filter((name) => name.startsWith('access-control-'));
const preflight = (server: TestServer, origin: string) =>
  fetch(server.url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type, authorization',
    },
  });

describe('CORS with no origins configured', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  test('no Access-Control-* headers at all, and a preflight is not specially answered', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ALLOWED },
      body: query,
    });
    expect(response.status).toBe(200);
    expect(corsHeaders(response)).toEqual([]);
    const options = await preflight(server, ALLOWED);
    expect(options.status).not.toBe(204);
    expect(options.status).toBeGreaterThanOrEqual(400);
    expect(corsHeaders(options)).toEqual([]);
  });
});

describe('CORS with origins configured', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ CORS_ORIGINS: `${ALLOWED}, https://admin.example.com` });
  });
  afterAll(() => server.close());

  test('a matching origin is allowed by name, with Vary: Origin', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ALLOWED },
      body: query,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('vary')).toMatch(/\bOrigin\b/);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });

  test('a preflight from a matching origin is answered 204 with the allowed methods and headers', async () => {
    const response = await preflight(server, ALLOWED);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toBe(
      'content-type, authorization, apollo-require-preflight, x-request-id',
    );
    expect(response.headers.get('vary')).toMatch(/\bOrigin\b/);
  });

  test('another origin gets no CORS headers, and its preflight is not answered', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example.com' },
      body: query,
    });
    expect(response.status).toBe(200);
    expect(corsHeaders(response)).toEqual([]);
    const options = await preflight(server, 'https://evil.example.com');
    expect(options.status).not.toBe(204);
    expect(corsHeaders(options)).toEqual([]);
  });
});

import { serverAudits, type AuditResult } from 'graphql-http';
import { startTestServer, type TestServer } from './support/server.ts';

/**
 * GraphQL over HTTP conformance (graphql-http's server audits). Every MUST passes, in development; in production
 * mode too, except the two MUST audits whose probe query is introspection (`__type`), which production switches
 * off on purpose: for those the same request with an ordinary query is checked instead.
 *
 * SHOULD/MAY audits that do not pass (pinned below, so a change either way is noticed):
 * - 572B, FDE2, 7B9B: parse, validation and variable-coercion failures answer 400, not 200, even to
 *   `accept: application/json` (Apollo's choice, and the one our limits rely on).
 * - 2EA1 (production only): its probe query is introspection, refused with 400.
 * - 5A70, 6A70, D6D5: plain GETs are refused by Apollo's CSRF prevention unless they carry a non-simple header
 *   (`apollo-require-preflight` or a JSON content type); browsers cannot forge those cross-site.
 */
const INTROSPECTION_PROBES = new Set(['BF61', '28B9']);
const KNOWN_NON_MUST_FAILURES = ['572B', 'FDE2', '7B9B', '5A70', '6A70', 'D6D5'];

const describeResult = (result: AuditResult): string =>
  result.status === 'ok' ? 'ok' : `${result.status}: ${result.reason}`;

const auditsFor = (server: () => TestServer | undefined) =>
  serverAudits({
    url: () => {
      const running = server();
      if (!running) throw new Error('the server has not started');
      return running.url;
    },
    fetchFn: fetch,
  });

const failingNonMust = async (audits: ReturnType<typeof auditsFor>): Promise<string[]> => {
  const failing: string[] = [];
  for (const audit of audits.filter((candidate) => !candidate.name.startsWith('MUST'))) {
    if ((await audit.fn()).status !== 'ok') failing.push(audit.id);
  }
  return failing.sort();
};

describe('GraphQL over HTTP audits, production mode', () => {
  let server: TestServer | undefined;
  const audits = auditsFor(() => server);
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  test.each(
    audits
      .filter((audit) => audit.name.startsWith('MUST') && !INTROSPECTION_PROBES.has(audit.id))
      .map((audit) => [audit.name, audit] as const),
  )('%s', async (_name, audit) => {
    expect(describeResult(await audit.fn())).toBe('ok');
  });

  test('MUST accept utf-8 encoded request; MUST allow map {variables} (with a query instead of introspection)', async () => {
    const utf8 = await fetch(server!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ query: '{ node(id: "Run🏃Swim🏊") { id } }' }),
    });
    expect([utf8.status, await utf8.json()]).toEqual([200, { data: { node: null } }]);
    const variables = await fetch(server!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: 'query P($id: ID!) { node(id: $id) { id } }', variables: { id: 'x' } }),
    });
    expect([variables.status, await variables.json()]).toEqual([200, { data: { node: null } }]);
  });

  test('SHOULD/MAY: only the known ones fail (572B, FDE2, 7B9B, 5A70, 6A70, D6D5, and 2EA1 for introspection)', async () => {
    expect(await failingNonMust(audits)).toEqual([...KNOWN_NON_MUST_FAILURES, '2EA1'].sort());
  });
});

describe('GraphQL over HTTP audits, development mode (introspection on)', () => {
  let server: TestServer | undefined;
  const audits = auditsFor(() => server);
  beforeAll(async () => {
    server = await startTestServer({ NODE_ENV: 'development' });
  });
  afterAll(() => server?.close());

  test.each(audits.filter((audit) => audit.name.startsWith('MUST')).map((audit) => [audit.name, audit] as const))(
    '%s',
    async (_name, audit) => {
      expect(describeResult(await audit.fn())).toBe('ok');
    },
  );

  test('SHOULD/MAY: only the known ones fail (572B, FDE2, 7B9B, 5A70, 6A70, D6D5)', async () => {
    expect(await failingNonMust(audits)).toEqual([...KNOWN_NON_MUST_FAILURES].sort());
  });
});

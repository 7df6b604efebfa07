/**
 * Trusted documents on a production build (NODE_ENV=production, a real server on real Postgres), driven over HTTP
 * as Apollo Client, the router or an attacker would: the manifest is the repository's own
 * (persisted-query-manifest.json, written from examples/), its operations sent by id and by body.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { z } from 'zod';
import { operationId } from '../../src/platform/graphql/trusted-documents/manifest.ts';
import { byId, codesOf, post, PRODUCTION, send } from './support/graphql-http.ts';
import { startTestServer, TEST_ADMIN, type TestServer } from './support/server.ts';

const example = (name: string): string =>
  readFileSync(join(import.meta.dirname, '..', '..', 'examples', `${name}.graphql`), 'utf8');
const LOG_IN = example('01-log-in');
const VIEWER = example('02-viewer');
const UNKNOWN = 'query Everyone { users(first: 100) { edges { node { email } } } }';

const logInVariables = { email: TEST_ADMIN.email, password: TEST_ADMIN.password };

/** A server whose log lines are kept (pino's JSON, parsed). */
const startLogged = async (environment: Record<string, string>) => {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const server = await startTestServer({ ...PRODUCTION, ...environment }, { logger });
  return { server, lines };
};

describe('TRUSTED_DOCUMENTS=enforce in production', () => {
  let server: TestServer;
  let lines: Array<Record<string, unknown>>;
  beforeAll(async () => {
    ({ server, lines } = await startLogged({ TRUSTED_DOCUMENTS: 'enforce' }));
  });
  afterAll(() => server.close());

  test('runs a manifest operation sent by id (Apollo Client’s persisted query link, the router), with variables', async () => {
    const answer = await post(server, { variables: logInVariables, extensions: byId(LOG_IN) });

    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({ logIn: { user: { email: TEST_ADMIN.email } } });
  });

  test('runs a manifest operation sent by its exact body, and by id over GET', async () => {
    // The manifest's exact text (a typed document would be printed anew), so the token is read by shape.
    const { logIn } = z
      .object({ logIn: z.object({ accessToken: z.string() }) })
      .parse((await post(server, { query: LOG_IN, variables: logInVariables })).body.data);
    const authorization = `Bearer ${logIn.accessToken}`;

    const byBody = await post(server, { query: VIEWER }, { authorization });
    const byGet = await send(server, {
      method: 'GET',
      search: `?extensions=${encodeURIComponent(JSON.stringify(byId(VIEWER)))}`,
      headers: { authorization, 'apollo-require-preflight': 'true' },
    });

    expect(byBody).toMatchObject({ status: 200, body: { data: { viewer: { email: TEST_ADMIN.email } } } });
    expect(byGet).toEqual(byBody);
  });

  test('refuses an operation outside the manifest with PERSISTED_QUERY_NOT_IN_LIST, and logs it', async () => {
    const refused = await post(server, { query: UNKNOWN, operationName: 'Everyone' });
    const byUnknownId = await post(server, { extensions: byId(UNKNOWN) });
    const reformatted = await post(server, { query: LOG_IN.trim(), variables: logInVariables });

    for (const answer of [refused, byUnknownId, reformatted]) {
      expect(answer).toEqual({
        status: 400,
        body: { errors: [{ message: expect.any(String), extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' } }] },
      });
    }
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: 'refused an operation that is not in the trusted documents',
        operationName: 'Everyone',
        hash: operationId(UNKNOWN),
        refused: true,
      }),
    );
  });

  test('refuses a huge unknown document without parsing it (parsing would answer the token limit)', async () => {
    const huge = `query Huge { ${'__typename '.repeat(8000)}}`;

    const answer = await post(server, { query: huge });

    expect(codesOf(answer)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
  });

  test('answers APQ mistakes about a manifest operation with their own code, not as unknown operations', async () => {
    const version = await post(server, {
      query: LOG_IN,
      extensions: { persistedQuery: { version: 2, sha256Hash: operationId(LOG_IN) } },
    });
    const mismatch = await post(server, { query: LOG_IN, variables: logInVariables, extensions: byId(VIEWER) });

    expect([version.status, codesOf(version)]).toEqual([400, ['BAD_REQUEST']]);
    expect([mismatch.status, codesOf(mismatch)]).toEqual([400, ['BAD_REQUEST']]);
  });

  test('says at start-up which mode it runs in, from which manifest, with how many operations', () => {
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'trusted documents',
        mode: 'enforce',
        manifest: expect.stringMatching(/persisted-query-manifest\.json$/),
        operations: 16,
      }),
    );
  });
});

describe('TRUSTED_DOCUMENTS unset in production: log', () => {
  let server: TestServer;
  let lines: Array<Record<string, unknown>>;
  beforeAll(async () => {
    ({ server, lines } = await startLogged({}));
  });
  afterAll(() => server.close());

  test('runs an unknown operation, logs it once with its name and hash, and counts every one', async () => {
    const first = await post(server, { query: 'query Typename { __typename }', operationName: 'Typename' });
    await post(server, { query: 'query Typename { __typename }', operationName: 'Typename' });
    await post(server, { query: UNKNOWN, operationName: 'Everyone' });
    const trusted = await post(server, { query: LOG_IN, variables: logInVariables });

    expect(first).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
    expect(trusted.status).toBe(200);
    const logged = lines.filter(
      (line) => line.msg === 'ran an operation that is not in the trusted documents (TRUSTED_DOCUMENTS=log)',
    );
    expect(
      logged.map(({ operationName, hash, unknownOperations }) => ({ operationName, hash, unknownOperations })),
    ).toEqual([
      { operationName: 'Typename', hash: operationId('query Typename { __typename }'), unknownOperations: 1 },
      { operationName: 'Everyone', hash: operationId(UNKNOWN), unknownOperations: 3 },
    ]);
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'trusted documents', mode: 'log' }));
  });

  test('parses an unknown huge document (and refuses it at the token limit), where enforce never parses it', async () => {
    const answer = await post(server, { query: `query Huge { ${'__typename '.repeat(8000)}}` });

    expect([answer.status, codesOf(answer), answer.body.errors?.[0]?.message]).toEqual([
      400,
      ['GRAPHQL_VALIDATION_FAILED'],
      'The document is too large; split it into smaller operations',
    ]);
  });
});

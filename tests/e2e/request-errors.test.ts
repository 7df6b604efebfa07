import { operationId } from '../../src/platform/graphql/trusted-documents/manifest.ts';
import { byId, codesOf, post, PRODUCTION, send, type Answer } from './support/graphql-http.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/**
 * Every error Apollo (or the HTTP shell) raises before execution keeps its own code: the client's mistakes are
 * never reported as INTERNAL_SERVER_ERROR. On the default production server (log mode, APQ on).
 */
describe('request errors in production', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(PRODUCTION);
  });
  afterAll(() => server.close());

  const TYPENAME = 'query Typename { __typename }';
  test.each<[string, () => Promise<Answer>, number, string, RegExp]>([
    [
      'an APQ version other than 1',
      () =>
        post(server, {
          query: TYPENAME,
          extensions: { persistedQuery: { version: 2, sha256Hash: operationId(TYPENAME) } },
        }),
      400,
      'BAD_REQUEST',
      /Unsupported persisted query version/,
    ],
    [
      'an APQ hash that is not its query’s',
      () => post(server, { query: TYPENAME, extensions: byId('{ __typename }') }),
      400,
      'BAD_REQUEST',
      /provided sha does not match query/,
    ],
    [
      'an APQ id the server has never seen',
      () => post(server, { extensions: byId('query Never { __typename }') }),
      200,
      'PERSISTED_QUERY_NOT_FOUND',
      /PersistedQueryNotFound/,
    ],
    ['malformed JSON', () => send(server, { body: '{"query": ' }), 400, 'BAD_REQUEST', /not valid JSON/],
    ['a query that is not a string', () => post(server, { query: 5 }), 400, 'BAD_REQUEST', /must be strings/],
    ['no query at all', () => post(server, { variables: {} }), 400, 'BAD_REQUEST', /non-empty `query`/],
    [
      'variables as a string',
      () => post(server, { query: TYPENAME, variables: '{}' }),
      400,
      'BAD_REQUEST',
      /variables/,
    ],
    ['a batch', () => post(server, [{ query: TYPENAME }]), 400, 'BAD_REQUEST', /batching/],
    [
      'a query parameter given twice',
      () =>
        send(server, { method: 'GET', search: '?query=a&query=b', headers: { 'apollo-require-preflight': 'true' } }),
      400,
      'BAD_REQUEST',
      /only be specified once/,
    ],
    [
      'a mutation over GET',
      () =>
        send(server, {
          method: 'GET',
          search: `?query=${encodeURIComponent('mutation { logOut(input: { refreshToken: "x" }) }')}`,
          headers: { 'apollo-require-preflight': 'true' },
        }),
      405,
      'BAD_REQUEST',
      /GET requests only support query operations/,
    ],
    [
      'an operation name the document does not have',
      () => post(server, { query: TYPENAME, operationName: 'Other' }),
      400,
      'OPERATION_RESOLUTION_FAILURE',
      /Unknown operation named "Other"/,
    ],
    [
      'a document that does not parse',
      () => post(server, { query: 'query {' }),
      400,
      'GRAPHQL_PARSE_FAILED',
      /Syntax Error/,
    ],
  ])('%s: its own status, code and message', async (_case, request, status, code, message) => {
    const answer = await request();

    expect(answer.status).toBe(status);
    expect(codesOf(answer)).toEqual([code]);
    expect(answer.body.errors?.[0]?.message).toMatch(message);
  });
});

/**
 * Apollo's request errors through our error formatter, for what no Kingdom server configuration can produce over
 * HTTP (the rest is sent over HTTP in tests/e2e/request-errors.test.ts).
 */
import { ApolloServer, HeaderMap } from '@apollo/server';
import { createErrorFormatter } from '../../../src/platform/graphql/errors.ts';
import { operationId } from '../../../src/platform/graphql/trusted-documents/manifest.ts';

const byId = (id: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: id } } });

describe('automatic persisted queries switched off', () => {
  it('answer a persisted query PERSISTED_QUERY_NOT_SUPPORTED through our error formatter, not as our fault', async () => {
    const apollo = new ApolloServer({
      typeDefs: 'type Query { ok: Boolean }',
      persistedQueries: false,
      formatError: createErrorFormatter({ exposeInternals: false }),
    });
    await apollo.start();
    try {
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: 'POST',
          headers: new HeaderMap([['content-type', 'application/json']]),
          search: '',
          body: byId(operationId('{ ok }')),
        },
        context: async () => ({}),
      });

      expect(response.status).toBe(200);
      expect(response.body.kind === 'complete' && JSON.parse(response.body.string)).toEqual({
        errors: [{ message: 'PersistedQueryNotSupported', extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED' } }],
      });
    } finally {
      await apollo.stop();
    }
  });
});

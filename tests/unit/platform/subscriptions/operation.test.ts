import { GraphQLError } from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import type { TrustedDocuments } from '../../../../src/platform/graphql/trusted-documents/apollo-options.ts';
import { DEFAULT_LIMITS, graphqlProtection } from '../../../../src/platform/graphql/limits.ts';
import type { UnknownOperation } from '../../../../src/platform/graphql/trusted-documents/gate.ts';
import {
  createManifest,
  indexOperations,
  operationId,
} from '../../../../src/platform/graphql/trusted-documents/manifest.ts';
import { createOperationPreparer } from '../../../../src/platform/subscriptions/operation.ts';
import { buildApplicationSchema } from '../../../../src/schema.ts';

const schema = buildApplicationSchema();
const FOLLOW = 'subscription Follow($sku: String!) { productChanged(sku: $sku) { sku version } }';

const preparer = (options: { trusted?: TrustedDocuments; isDevelopment?: boolean } = {}) => {
  const unknown: UnknownOperation[] = [];
  const prepare = createOperationPreparer({
    schema,
    protection: graphqlProtection(DEFAULT_LIMITS, { hideSuggestions: !options.isDevelopment }),
    isDevelopment: options.isDevelopment ?? false,
    trustedDocuments: options.trusted ?? { mode: 'off' },
    observeUnknown: (operation) => unknown.push(operation),
  });
  return { prepare, unknown };
};

const refusal = (result: ReturnType<ReturnType<typeof preparer>['prepare']>) => {
  if (!Array.isArray(result)) throw new Error('expected a refusal');
  return result.map((error: GraphQLError) => ({ message: error.message, code: error.extensions.code }));
};

const trusted = (mode: 'log' | 'enforce'): TrustedDocuments => ({
  mode,
  source: 'test manifest',
  operations: indexOperations(
    createManifest([{ id: operationId(FOLLOW), name: 'Follow', type: 'subscription', body: FOLLOW }]),
  ),
});

describe('what a subscribe message may run', () => {
  test('a valid subscription: its document, operation name and variables', () => {
    const { prepare } = preparer();
    const prepared = prepare({ query: FOLLOW, operationName: 'Follow', variables: { sku: 'OAK' } });
    expect(prepared).toMatchObject({ operationName: 'Follow', variableValues: { sku: 'OAK' } });
    expect(Array.isArray(prepared)).toBe(false);
  });

  test.each([
    ['a query', '{ product(sku: "OAK") { sku } }'],
    ['a mutation', 'mutation { refreshSession(input: { refreshToken: "x" }) { accessToken } }'],
  ])('%s is refused with BAD_REQUEST: queries and mutations stay on HTTP', (_case, query) => {
    const { prepare } = preparer();
    const result = prepare({ query });
    expect(refusal(result)).toEqual([
      {
        message: 'Queries and mutations are served over HTTP; this socket runs subscriptions only',
        code: 'BAD_REQUEST',
      },
    ]);
  });

  test('several operations without a name to choose one: BAD_REQUEST', () => {
    const { prepare } = preparer();
    expect(refusal(prepare({ query: `${FOLLOW} subscription Other { productChanged(sku: "A") { sku } }` }))).toEqual([
      { message: 'The document does not name one operation to run', code: 'BAD_REQUEST' },
    ]);
  });

  test('a syntax error is GRAPHQL_PARSE_FAILED; past the token limit, the limit message, GRAPHQL_VALIDATION_FAILED', () => {
    const { prepare } = preparer();
    expect(refusal(prepare({ query: 'subscription {' }))[0]?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(refusal(prepare({ query: `subscription { productChanged(sku: "A") { ${'sku '.repeat(2000)} } }` }))).toEqual(
      [{ message: 'The document is too large; split it into smaller operations', code: 'GRAPHQL_VALIDATION_FAILED' }],
    );
  });

  test('the specified rules and our limits apply; hints are hidden outside development, shown in it', () => {
    const typo = 'subscription { productChanged(sku: "A") { skew } }';
    expect(refusal(preparer().prepare({ query: typo }))).toEqual([
      { message: 'Cannot query field "skew" on type "Product".', code: 'GRAPHQL_VALIDATION_FAILED' },
    ]);
    expect(refusal(preparer({ isDevelopment: true }).prepare({ query: typo }))[0]?.message).toMatch(
      /Did you mean "sku"\?/,
    );
    const costly =
      'subscription { productChanged(sku: "A") { batches(first: 100) { edges { node { product { batches(first: 100) { edges { node { reference } } } } } } } } }';
    expect(refusal(preparer().prepare({ query: costly }))[0]?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  test('introspection is refused outside development', () => {
    const query = 'subscription { productChanged(sku: "A") { sku __type(name: "Product") { name } } }';
    expect(refusal(preparer().prepare({ query }))[0]?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('trusted documents over WebSocket', () => {
  test('enforce: the manifest operation runs by its body or by id with an empty query; anything else is refused unparsed', () => {
    const { prepare, unknown } = preparer({ trusted: trusted('enforce') });
    const byId: SubscribePayload = {
      query: '',
      variables: { sku: 'A' },
      extensions: { persistedQuery: { version: 1, sha256Hash: operationId(FOLLOW) } },
    };

    expect(Array.isArray(prepare({ query: FOLLOW, variables: { sku: 'A' } }))).toBe(false);
    expect(Array.isArray(prepare(byId))).toBe(false);
    expect(refusal(prepare({ query: 'subscription {' }))).toEqual([
      {
        message:
          'This server runs only the operations its clients ship (its trusted documents), and this is not one of them',
        code: 'PERSISTED_QUERY_NOT_IN_LIST',
      },
    ]);
    expect(unknown).toEqual([{ hash: operationId('subscription {'), operationName: null, refused: true }]);
  });

  test('log: anything valid runs, and what is not in the manifest is reported', () => {
    const { prepare, unknown } = preparer({ trusted: trusted('log') });
    const other = 'subscription Other { productChanged(sku: "A") { sku } }';
    expect(Array.isArray(prepare({ query: other, operationName: 'Other' }))).toBe(false);
    expect(unknown).toEqual([{ hash: operationId(other), operationName: 'Other', refused: false }]);
  });

  test('an id the manifest does not hold, with no document: BAD_REQUEST when off, refused when enforced', () => {
    const byId = { query: '', extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } };
    expect(refusal(preparer().prepare(byId))[0]?.code).toBe('BAD_REQUEST');
    expect(refusal(preparer({ trusted: trusted('enforce') }).prepare(byId))[0]?.code).toBe(
      'PERSISTED_QUERY_NOT_IN_LIST',
    );
  });
});

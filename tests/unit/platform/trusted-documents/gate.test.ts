import { HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import type { TrustedDocuments } from '../../../../src/platform/graphql/trusted-documents/apollo-options.ts';
import {
  createTrustedDocumentsGate,
  type UnknownOperation,
} from '../../../../src/platform/graphql/trusted-documents/gate.ts';
import {
  createManifest,
  indexOperations,
  operationId,
} from '../../../../src/platform/graphql/trusted-documents/manifest.ts';

const VIEWER = 'query Viewer { viewer { id } }';
const UNKNOWN = 'query Everything { users(first: 100) { edges { node { email } } } }';
const operations = indexOperations(
  createManifest([{ id: operationId(VIEWER), name: 'Viewer', type: 'query', body: VIEWER }]),
);
const trusted = (mode: 'log' | 'enforce'): TrustedDocuments => ({ mode, operations, source: 'm.json' });

const post = (body: unknown): HTTPGraphQLRequest => ({ method: 'POST', headers: new HeaderMap(), search: '', body });
const get = (parameters: Record<string, string>): HTTPGraphQLRequest => ({
  method: 'GET',
  headers: new HeaderMap(),
  search: `?${new URLSearchParams(parameters)}`,
  body: undefined,
});
const byId = (id: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: id } } });

const gateFor = (mode: 'log' | 'enforce') => {
  const seen: UnknownOperation[] = [];
  const gate = createTrustedDocumentsGate(trusted(mode), (operation) => seen.push(operation))!;
  return { gate, seen };
};

describe('the trusted documents gate, in enforce mode', () => {
  it.each([
    ['a manifest body', post({ query: VIEWER })],
    [
      'a manifest id, without a body (Apollo Client’s persisted query link, the router)',
      post(byId(operationId(VIEWER))),
    ],
    ['a manifest body with its id (an APQ registration)', post({ query: VIEWER, ...byId(operationId(VIEWER)) })],
    ['a manifest body by GET', get({ query: VIEWER })],
    ['a manifest id by GET', get({ extensions: JSON.stringify(byId(operationId(VIEWER)).extensions) })],
  ])('hands %s to Apollo and reports nothing', (_case, request) => {
    const { gate, seen } = gateFor('enforce');

    expect(gate(request)).toBeUndefined();
    expect(seen).toEqual([]);
  });

  it.each([
    ['another body', post({ query: UNKNOWN, operationName: 'Everything' }), operationId(UNKNOWN), 'Everything'],
    [
      'a body that differs from a manifest body by one space',
      post({ query: `${VIEWER} ` }),
      operationId(`${VIEWER} `),
      null,
    ],
    ['an unknown id', post(byId('f'.repeat(64))), 'f'.repeat(64), null],
    [
      'an unknown body sent with a manifest id',
      post({ query: UNKNOWN, ...byId(operationId(VIEWER)) }),
      operationId(UNKNOWN),
      null,
    ],
    ['an unknown body by GET', get({ query: UNKNOWN }), operationId(UNKNOWN), null],
    ['a persisted query without a hash', post({ extensions: { persistedQuery: { version: 1 } } }), '', null],
  ])('refuses %s with 400 PERSISTED_QUERY_NOT_IN_LIST, and reports it', (_case, request, hash, operationName) => {
    const { gate, seen } = gateFor('enforce');

    const response = gate(request);

    expect(response?.status).toBe(400);
    expect(response?.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response?.body.kind === 'complete' && JSON.parse(response.body.string)).toEqual({
      errors: [
        { message: expect.stringMatching(/trusted documents/), extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' } },
      ],
    });
    expect(seen).toEqual([{ hash, operationName, refused: true }]);
  });

  it.each([
    ['a body that is not a JSON object (Apollo refuses it)', post('query { viewer { id } }')],
    ['a batch (Apollo refuses batches)', post([{ query: UNKNOWN }])],
    ['a request without a query or a persisted query (Apollo refuses it)', post({ variables: {} })],
    [
      'a repeated query parameter (Apollo refuses it)',
      { ...get({}), search: `?query=${encodeURIComponent(UNKNOWN)}&query=x` },
    ],
    ['unparsable extensions (Apollo refuses them)', get({ query: UNKNOWN, extensions: '{' })],
    ['another method (Apollo answers 405)', { ...post({ query: UNKNOWN }), method: 'PUT' }],
    ['the landing page (a GET without an operation)', get({})],
  ])('leaves %s to Apollo: nothing of it can run', (_case, request) => {
    const { gate, seen } = gateFor('enforce');

    expect(gate(request)).toBeUndefined();
    expect(seen).toEqual([]);
  });

  it('cuts what the client named, and an unhashed id, short before anyone logs them', () => {
    const { gate, seen } = gateFor('enforce');

    gate(post({ query: UNKNOWN, operationName: 'x'.repeat(10_000) }));
    gate(post(byId('a'.repeat(10_000))));

    expect(seen.map((operation) => [operation.operationName?.length ?? null, operation.hash.length])).toEqual([
      [128, 64],
      [null, 128],
    ]);
  });
});

describe('the trusted documents gate, in log mode', () => {
  it('hands every request to Apollo, and reports the unknown ones as run', () => {
    const { gate, seen } = gateFor('log');

    expect(gate(post({ query: VIEWER }))).toBeUndefined();
    expect(gate(post({ query: UNKNOWN, operationName: 'Everything' }))).toBeUndefined();

    expect(seen).toEqual([{ hash: operationId(UNKNOWN), operationName: 'Everything', refused: false }]);
  });
});

describe('the trusted documents gate, off', () => {
  it('is not there at all', () => {
    expect(createTrustedDocumentsGate({ mode: 'off' }, () => undefined)).toBeUndefined();
  });
});

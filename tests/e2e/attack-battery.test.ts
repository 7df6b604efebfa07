import { createPool, sql } from 'slonik';
import { z } from 'zod';
import { graphql } from '../generated/index.ts';
import {
  AddBatchDocument,
  AllocateDocument,
  LogInDocument,
  ProductDocument,
  SignUpDocument,
  ViewerDocument,
} from '../generated/graphql.ts';
import { sourceOf, type Operation, type Untyped } from '../support/operation.ts';
import { startTestServer, TEST_ADMIN, type TestServer } from './support/server.ts';

/**
 * An attack battery against the production behaviour (NODE_ENV=test): graphql-cop's checks, plus malformed and
 * hostile input. Every case must end in a clear 4xx or a typed GraphQL error (extensions.code present, never
 * INTERNAL_SERVER_ERROR); no response may carry a stack trace; refused requests must change no data.
 */

/** `TData`: what `data` holds when the request was a typed document (it is never read from here, only typed). */
type Raw<TData = Untyped> = {
  label: string;
  status: number;
  text: string;
  headers: Headers;
  json: unknown;
  readonly answers?: TData;
};
type GraphQLBody<TData = Untyped> = {
  data?: TData | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  extensions?: Record<string, unknown>;
};

const SIGN_UP = SignUpDocument;
const LOG_IN = LogInDocument;
const ADD_BATCH = AddBatchDocument;
const ALLOCATE = AllocateDocument;
const VIEWER = ViewerDocument;
const PRODUCT = ProductDocument;
const PRODUCT_SKU = graphql(`
  query AttackProductSku($sku: String!) {
    product(sku: $sku) {
      sku
    }
  }
`);
const SKUS = graphql(`
  query AttackSkus {
    products(first: 100) {
      totalCount
      edges {
        node {
          sku
        }
      }
    }
  }
`);

/** Every response body seen by the battery, checked for leaks at the end (and each one as it arrives). */
const seen: Array<{ label: string; text: string }> = [];
const STACK_TRACE = /\bat .+:\d+:\d+|stacktrace|\.ts:\d+|node_modules|\/work\//i;

describe('attack battery (production behaviour)', () => {
  let server: TestServer;
  const url = () => server.url;

  const send = async (label: string, init: RequestInit & { search?: string } = {}): Promise<Raw> => {
    const { search = '', ...rest } = init;
    const response = await fetch(`${url()}${search}`, { signal: AbortSignal.timeout(15_000), ...rest });
    const text = await response.text();
    seen.push({ label, text });
    expect(text).not.toMatch(STACK_TRACE);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { label, status: response.status, text, headers: response.headers, json };
  };

  const post = (
    label: string,
    body: string,
    headers: Record<string, string> = { 'content-type': 'application/json' },
  ) => send(label, { method: 'POST', headers, body });

  /** As the administrator, so hostile input reaches every resolver (a test's own headers win). */
  let adminHeaders: Record<string, string> = {};
  /** Variables stay untyped: the battery sends the wrong ones on purpose. */
  const gql = <TData = Untyped>(
    label: string,
    query: Operation<TData, never>,
    variables?: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<Raw<TData>> =>
    post(label, JSON.stringify({ query: sourceOf(query), variables }), {
      'content-type': 'application/json',
      ...adminHeaders,
      ...headers,
    }) as Promise<Raw<TData>>;

  const bodyOf = <TData = Untyped>(raw: Raw<TData>): GraphQLBody<TData> => (raw.json ?? {}) as GraphQLBody<TData>;
  const codesOf = (raw: Raw<unknown>): unknown[] => (bodyOf(raw).errors ?? []).map((error) => error.extensions?.code);

  /** Never a 5xx; every error typed (a code), never INTERNAL_SERVER_ERROR. Accepted answers are allowed. */
  const expectSafe = (raw: Raw<unknown>): void => {
    expect([raw.label, raw.status < 500]).toEqual([raw.label, true]);
    for (const error of bodyOf(raw).errors ?? []) {
      expect([raw.label, typeof error.extensions?.code]).toEqual([raw.label, 'string']);
      expect([raw.label, error.extensions?.code]).not.toEqual([raw.label, 'INTERNAL_SERVER_ERROR']);
    }
  };

  /** A clear 4xx, or a typed GraphQL error: a code on every error, never INTERNAL_SERVER_ERROR, never a 5xx. */
  const expectHandled = (raw: Raw<unknown>): void => {
    expectSafe(raw);
    if (raw.status < 400)
      expect([raw.label, raw.text, (bodyOf(raw).errors ?? []).length > 0]).toEqual([raw.label, raw.text, true]);
  };

  const expectRefusedWith = (raw: Raw<unknown>, status: number, code?: string): void => {
    expectHandled(raw);
    expect(raw.status).toBe(status);
    if (code) expect(codesOf(raw)).toContain(code);
    expect(bodyOf(raw).data ?? undefined).toBeUndefined();
  };

  /** Refused inside execution: HTTP 200, data null for the field, one typed error. */
  const expectTypedError = (raw: Raw<unknown>, code: string): void => {
    expectHandled(raw);
    expect(codesOf(raw)).toEqual([code]);
  };

  /**
   * Row counts of the application's tables, but rate_limits: it counts the battery's hostile sign-in attempts, which
   * is its job (tests/e2e/rate-limit.test.ts proves what it counts), not data a refused request changed.
   */
  const rowCounts = async (): Promise<Record<string, number>> => {
    const pool = await createPool(server.database.url, { maximumPoolSize: 1 });
    pool.on('error', () => undefined);
    try {
      const tables = await pool.anyFirst(
        sql.type(z.object({ tablename: z.string() }))`
          select tablename from pg_tables where schemaname = 'public' and tablename <> 'rate_limits'
          order by tablename`,
      );
      const counts: Record<string, number> = {};
      for (const table of tables) {
        counts[table] = await pool.oneFirst(
          sql.type(z.object({ count: z.coerce.number() }))`select count(*) as count from ${sql.identifier([table])}`,
        );
      }
      return counts;
    } finally {
      await pool.end();
    }
  };

  let before: Record<string, number>;

  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_AUTH_PER_ACCOUNT: '1000', RATE_LIMIT_AUTH_PER_ADDRESS: '1000' });
    adminHeaders = await server.signIn(TEST_ADMIN.email, TEST_ADMIN.password);
    // Something to read and allocate from, created before the snapshot.
    const seeded = await gql('seed', ADD_BATCH, { input: { reference: 'seed-1', sku: 'SEED', quantity: 10 } });
    expect(bodyOf(seeded).errors).toBeUndefined();
    before = await rowCounts();
  }, 60_000);
  afterAll(() => server?.close());

  describe('graphql-cop checks', () => {
    test('alias overloading: 101 aliased fields are refused', async () => {
      const aliases = Array.from({ length: 101 }, (_, index) => `a${index}: product(sku: "SEED") { sku }`).join(' ');
      expectRefusedWith(await gql('aliases/product', `{ ${aliases} }`), 400, 'GRAPHQL_VALIDATION_FAILED');
    });

    // graphql-cop's own probe; graphql-armor exempts __typename aliases by default, src/platform/graphql/limits.ts does not.
    test("alias overloading: 101 aliases of __typename (graphql-cop's probe) are refused", async () => {
      const aliases = Array.from({ length: 101 }, (_, index) => `alias${index}: __typename`).join(' ');
      expectRefusedWith(await gql('aliases/__typename', `query cop { ${aliases} }`), 400, 'GRAPHQL_VALIDATION_FAILED');
    });

    test('batch queries: a JSON array body is refused (batching is off)', async () => {
      const raw = await post('batch', JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]));
      expectRefusedWith(raw, 400);
      expect(raw.text).not.toMatch(/"__typename"\s*:\s*"Query"/);
    });

    test('directive overloading: repeated (unknown and known) directives are refused, not executed', async () => {
      const unknown = await gql('directives/unknown', `query cop { __typename ${'@aa'.repeat(300)} }`);
      expectRefusedWith(unknown, 400, 'GRAPHQL_VALIDATION_FAILED');
      const known = await gql('directives/known', `query cop { __typename ${'@include(if: true)'.repeat(60)} }`);
      expectRefusedWith(known, 400, 'GRAPHQL_VALIDATION_FAILED');
    });

    test('field duplication: 500 repeated fields are refused or harmless, and bounded in time', async () => {
      for (const [label, query] of [
        ['duplication/__typename', `query cop { ${'__typename '.repeat(500)} }`],
        ['duplication/sku', `{ product(sku: "SEED") { ${'sku '.repeat(500)} } }`],
        ['duplication/too-many', `{ product(sku: "SEED") { ${'sku '.repeat(5000)} } }`],
      ] as const) {
        const started = performance.now();
        const raw = await gql(label, query);
        expect(performance.now() - started).toBeLessThan(5_000);
        expect(raw.status).toBeLessThan(500);
        if (raw.status === 200) {
          // Harmless: merged into one field of the answer.
          expect(bodyOf(raw).errors).toBeUndefined();
          expect(raw.text.length).toBeLessThan(200);
        } else {
          expectRefusedWith(raw, 400, 'GRAPHQL_VALIDATION_FAILED');
        }
      }
    });

    test('circular introspection and introspection are refused', async () => {
      const circular = `query cop { __schema { types { fields { type { fields { type { fields { type { name } } } } } } } } }`;
      for (const [label, query] of [
        ['introspection/circular', circular],
        ['introspection/schema', '{ __schema { queryType { name } } }'],
        ['introspection/type', '{ __type(name: "Product") { fields { name } } }'],
      ] as const) {
        const raw = await gql(label, query);
        expectRefusedWith(raw, 400, 'GRAPHQL_VALIDATION_FAILED');
        expect(raw.text).not.toMatch(/availableQuantity|"fields"\s*:/);
      }
    });

    test('field suggestions: no "Did you mean" for near-miss fields, arguments or types', async () => {
      for (const [label, query] of [
        ['suggestions/field', '{ produc(sku: "SEED") { sku } }'],
        ['suggestions/subfield', '{ product(sku: "SEED") { sk } }'],
        ['suggestions/argument', '{ product(sk: "SEED") { sku } }'],
        ['suggestions/type', '{ node(id: "x") { ... on Produc { sku } } }'],
        [
          'suggestions/input',
          'mutation { addBatch(input: { referenc: "x", sku: "X", quantity: 1 }) { batch { sku } } }',
        ],
        ['suggestions/enum', '{ products(orderBy: { field: SK }) { totalCount } }'],
      ] as const) {
        const raw = await gql(label, query);
        expectRefusedWith(raw, 400, 'GRAPHQL_VALIDATION_FAILED');
        expect(raw.text).not.toMatch(/Did you mean/i);
      }
    });

    test('GET queries: refused without a CSRF-safe header, answered with one', async () => {
      const search = `?query=${encodeURIComponent('{ __typename }')}`;
      // A plain GET (what a cross-site <img>/<form> could send) is Apollo's CSRF refusal: 400 BAD_REQUEST.
      const plain = await send('get/plain', { search });
      expectRefusedWith(plain, 400);
      expect(plain.text).not.toContain('"Query"');
      // With `apollo-require-preflight` (which a browser cannot send cross-site without a preflight) it is served.
      const preflighted = await send('get/preflight', { search, headers: { 'apollo-require-preflight': 'true' } });
      expect(preflighted.status).toBe(200);
      expect(preflighted.json).toEqual({ data: { __typename: 'Query' } });
      // Same with `x-apollo-operation-name`.
      const named = await send('get/operation-name', { search, headers: { 'x-apollo-operation-name': 'Q' } });
      expect(named.status).toBe(200);
    });

    test('GET mutations are refused (405), even with the CSRF-safe header, and nothing is stored', async () => {
      const mutation =
        'mutation { addBatch(input: { reference: "get-1", sku: "GETMUT", quantity: 1 }) { batch { reference } } }';
      const raw = await send('get/mutation', {
        search: `?query=${encodeURIComponent(mutation)}`,
        headers: { 'apollo-require-preflight': 'true' },
      });
      expectRefusedWith(raw, 405);
      const check = await gql('get/mutation/check', '{ product(sku: "GETMUT") { sku } }');
      expect(check.json).toEqual({ data: { product: null } });
    });

    test('url-encoded POST is refused (CSRF prevention), with and without the preflight header', async () => {
      const form = `query=${encodeURIComponent('{ __typename }')}`;
      const simple = await post('urlencoded', form, { 'content-type': 'application/x-www-form-urlencoded' });
      expectRefusedWith(simple, 400);
      const forced = await post('urlencoded/preflight', form, {
        'content-type': 'application/x-www-form-urlencoded',
        'apollo-require-preflight': 'true',
      });
      expect(forced.status).toBeGreaterThanOrEqual(400);
      expect(forced.status).toBeLessThan(500);
      expect(forced.text).not.toContain('"Query"');
    });

    test('IDE exposure: no landing page (GraphiQL, Playground, Sandbox) for a browser', async () => {
      for (const path of ['', '?', '/../graphql']) {
        const raw = await send(`ide${path}`, { search: path, headers: { accept: 'text/html' } });
        expect(raw.status).toBeGreaterThanOrEqual(400);
        expect(raw.status).toBeLessThan(500);
        expect(raw.text).not.toMatch(/<html|graphiql|playground|sandbox/i);
      }
    });

    test('trace mode: no tracing or ftv1 in responses, even when asked for', async () => {
      const raw = await gql('trace', '{ __typename product(sku: "SEED") { sku } }', undefined, {
        'apollo-federation-include-trace': 'ftv1',
      });
      expect(raw.status).toBe(200);
      const body = bodyOf(raw);
      expect(body.extensions?.tracing).toBeUndefined();
      expect(body.extensions?.ftv1).toBeUndefined();
      expect(raw.text).not.toMatch(/tracing|ftv1/);
    });

    test('unhandled errors: odd inputs give typed errors, never a stack trace', async () => {
      for (const [label, body] of [
        ['unhandled/query-number', JSON.stringify({ query: 42 })],
        ['unhandled/query-null', JSON.stringify({ query: null })],
        ['unhandled/variables-string', JSON.stringify({ query: '{ __typename }', variables: 'x' })],
        ['unhandled/extensions-string', JSON.stringify({ query: '{ __typename }', extensions: 'x' })],
        ['unhandled/operation-name-number', JSON.stringify({ query: '{ __typename }', operationName: 1 })],
        ['unhandled/unknown-operation', JSON.stringify({ query: 'query A { __typename }', operationName: 'B' })],
        ['unhandled/two-anonymous', JSON.stringify({ query: '{ __typename } { __typename }' })],
        ['unhandled/json-string', JSON.stringify('{ __typename }')],
        ['unhandled/json-null', 'null'],
        ['unhandled/json-number', '1'],
        ['unhandled/empty-object', '{}'],
        [
          'unhandled/persisted-query',
          JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }),
        ],
        ['unhandled/syntax', JSON.stringify({ query: '{ product(sku: ) }' })],
        [
          'unhandled/__proto__',
          '{"query":"{ __typename }","__proto__":{"polluted":1},"variables":{"__proto__":{"x":1}}}',
        ],
      ] as const) {
        const raw = await post(label, body);
        expectSafe(raw);
        // __proto__ keys are plain data: the query runs, and nothing is polluted.
        if (label === 'unhandled/__proto__') expect(raw.json).toEqual({ data: { __typename: 'Query' } });
        // Apollo answers an unknown persisted query with 200 and PERSISTED_QUERY_NOT_FOUND (APQ is on by default).
        else if (label === 'unhandled/persisted-query') expect(codesOf(raw)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
        else {
          expectHandled(raw);
          expect([label, raw.status >= 400]).toEqual([label, true]);
        }
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  describe('operations the schema does not offer', () => {
    // graphql-js 16 only fails these at execution, without a code (once a 500 here): refused in validation now.
    test('a subscription operation is a typed client error, not INTERNAL_SERVER_ERROR', async () => {
      for (const query of ['subscription { __typename }', 'subscription S { product(sku: "SEED") { sku } }']) {
        expectHandled(await post('subscription', JSON.stringify({ query })));
      }
    });
  });

  describe('malformed HTTP requests', () => {
    test('malformed JSON is 400 BAD_REQUEST', async () => {
      for (const body of ['{"query": ', '{query: "{ __typename }"}', '\u0000', '[', '{"query":"{ __typename }"}}']) {
        expectRefusedWith(await post(`malformed ${JSON.stringify(body)}`, body), 400, 'BAD_REQUEST');
      }
    });

    test('wrong content types (text/plain, multipart, none, xml, application/graphql) are 4xx', async () => {
      const body = JSON.stringify({ query: '{ __typename }' });
      const multipart = new FormData();
      multipart.append('operations', body);
      for (const [label, init] of [
        ['content-type/text-plain', { method: 'POST', headers: { 'content-type': 'text/plain' }, body }],
        [
          'content-type/text-plain+preflight',
          { method: 'POST', headers: { 'content-type': 'text/plain', 'apollo-require-preflight': 'true' }, body },
        ],
        ['content-type/multipart', { method: 'POST', body: multipart }],
        [
          'content-type/multipart+preflight',
          { method: 'POST', headers: { 'apollo-require-preflight': 'true' }, body: multipart },
        ],
        ['content-type/none', { method: 'POST', body: new Blob([body]) }],
        ['content-type/xml', { method: 'POST', headers: { 'content-type': 'application/xml' }, body }],
        [
          'content-type/graphql',
          { method: 'POST', headers: { 'content-type': 'application/graphql' }, body: '{ __typename }' },
        ],
      ] as const) {
        const raw = await send(label, init as RequestInit);
        expect([label, raw.status >= 400 && raw.status < 500]).toEqual([label, true]);
        expect(raw.text).not.toContain('"Query"');
      }
    });

    test('an empty body is 4xx', async () => {
      expectRefusedWith(await post('empty', ''), 400);
      expectRefusedWith(await post('blank', '   \n'), 400);
    });

    test('a 1 MB body is 413 PAYLOAD_TOO_LARGE, declared or chunked', async () => {
      const big = JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(1024 * 1024) } });
      const declared = await post('1mb', big);
      expectRefusedWith(declared, 413, 'PAYLOAD_TOO_LARGE');
      // Without a Content-Length (a streamed body), cut off once past the limit.
      const encoder = new TextEncoder();
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= 1024 * 1024) return controller.close();
          sent += 64 * 1024;
          controller.enqueue(encoder.encode(' '.repeat(64 * 1024)));
        },
      });
      let chunked: Raw | undefined;
      try {
        chunked = await send('1mb/chunked', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: stream,
          duplex: 'half',
        } as RequestInit);
      } catch {
        // The server may close the socket while the client is still streaming: also a refusal.
      }
      if (chunked) expectRefusedWith(chunked, 413, 'PAYLOAD_TOO_LARGE');
      expect(sent).toBeLessThanOrEqual(1024 * 1024);
    });
  });

  describe('hostile documents', () => {
    test('deeply nested fragments are refused with 400', async () => {
      // F0 -> F1 -> ... -> F30, each adding a level: product { batches { edges { node { product ...
      const levels = 30;
      const fragments = Array.from({ length: levels }, (_, index) =>
        index === levels - 1
          ? `fragment F${index} on Product { sku }`
          : `fragment F${index} on Product { batches(first: 1) { edges { node { product { ...F${index + 1} } } } } }`,
      );
      const raw = await gql('fragments/deep', `{ product(sku: "SEED") { ...F0 } } ${fragments.join(' ')}`);
      expectRefusedWith(raw, 400, 'GRAPHQL_VALIDATION_FAILED');
      // And a wide fan-out of fragments spreading fragments (exponential if expanded naively).
      const fan = Array.from({ length: 20 }, (_, index) =>
        index === 19
          ? `fragment G${index} on Query { __typename }`
          : `fragment G${index} on Query { ...G${index + 1} ...G${index + 1} }`,
      );
      const started = performance.now();
      const fanned = await gql('fragments/fan', `{ ...G0 } ${fan.join(' ')}`);
      expect(performance.now() - started).toBeLessThan(5_000);
      expectSafe(fanned);
    });

    test('fragment cycles are refused with 400, not a stack overflow', async () => {
      for (const [label, query] of [
        ['cycle/self', '{ product(sku: "SEED") { ...A } } fragment A on Product { sku ...A }'],
        [
          'cycle/pair',
          '{ product(sku: "SEED") { ...A } } fragment A on Product { ...B } fragment B on Product { ...A }',
        ],
        [
          'cycle/nested',
          '{ product(sku: "SEED") { ...A } } fragment A on Product { batches { edges { node { product { ...B } } } } } fragment B on Product { ...A }',
        ],
        ['cycle/unused', '{ __typename } fragment A on Query { ...B } fragment B on Query { ...A }'],
      ] as const) {
        expectRefusedWith(await gql(label, query), 400, 'GRAPHQL_VALIDATION_FAILED');
      }
    });

    test('variables of the wrong type are 400 BAD_USER_INPUT', async () => {
      const query = 'query ($sku: String!) { product(sku: $sku) { sku } }';
      for (const [label, variables] of [
        ['variables/number', { sku: 1 }],
        ['variables/object', { sku: { $ne: null } }],
        ['variables/array', { sku: ['SEED'] }],
        ['variables/null', { sku: null }],
        ['variables/missing', {}],
      ] as const) {
        expectRefusedWith(await gql(label, query, variables), 400, 'BAD_USER_INPUT');
      }
      const input = await gql('variables/input', ADD_BATCH, {
        input: { reference: 'v-1', sku: 'VARS', quantity: '5' },
      });
      expectRefusedWith(input, 400, 'BAD_USER_INPUT');
      const extra = await gql('variables/extra-field', ADD_BATCH, {
        input: { reference: 'v-2', sku: 'VARS', quantity: 5, admin: true },
      });
      expectRefusedWith(extra, 400, 'BAD_USER_INPUT');
    });

    test('integers beyond 32 bits are 400 (literal: validation, variable: BAD_USER_INPUT)', async () => {
      const literal = await gql(
        'int/literal',
        'mutation { addBatch(input: { reference: "big-1", sku: "BIG", quantity: 2147483648 }) { batch { reference } } }',
      );
      expectRefusedWith(literal, 400, 'GRAPHQL_VALIDATION_FAILED');
      for (const quantity of [2 ** 31, 2 ** 53, -(2 ** 31) - 1, 1e308, 1.5]) {
        const raw = await gql(`int/variable ${quantity}`, ADD_BATCH, {
          input: { reference: 'big-2', sku: 'BIG', quantity },
        });
        expectRefusedWith(raw, 400, 'BAD_USER_INPUT');
      }
      const page = await gql('int/first', '{ products(first: 99999999999) { totalCount } }');
      expectRefusedWith(page, 400, 'GRAPHQL_VALIDATION_FAILED');
      // In range for GraphQL, out of range for the domain: a typed error from the resolver.
      const negative = await gql('int/negative', ADD_BATCH, {
        input: { reference: 'big-3', sku: 'BIG', quantity: -1 },
      });
      expectTypedError(negative, 'BAD_USER_INPUT');
      // The largest Int as a page size: over the cost limit before any resolver runs.
      const pageTooLarge = await gql('int/first-large', '{ products(first: 2147483647) { edges { node { sku } } } }');
      expectRefusedWith(pageTooLarge, 400, 'GRAPHQL_VALIDATION_FAILED');
    });

    test('a 10,000-character sku is BAD_USER_INPUT and nothing is stored', async () => {
      const sku = 'S'.repeat(10_000);
      expectTypedError(
        await gql('long/addBatch', ADD_BATCH, { input: { reference: 'long-1', sku, quantity: 1 } }),
        'BAD_USER_INPUT',
      );
      expectTypedError(
        await gql('long/reference', ADD_BATCH, { input: { reference: sku, sku: 'LONG', quantity: 1 } }),
        'BAD_USER_INPUT',
      );
      expectTypedError(
        await gql('long/allocate', ALLOCATE, { input: { orderId: 'o-long', sku, quantity: 1 } }),
        'BAD_USER_INPUT',
      );
      const read = await gql('long/product', '{ product(sku: "' + sku + '") { sku } }');
      expectSafe(read);
      expect(read.json).toEqual({ data: { product: null } });
      expect(await gql('long/check', '{ product(sku: "LONG") { sku } }').then((raw) => raw.json)).toEqual({
        data: { product: null },
      });
    });

    test('NUL bytes in strings are typed errors, not 500s', async () => {
      const nul = 'a\u0000b';
      for (const [label, query, variables] of [
        ['nul/addBatch-sku', ADD_BATCH, { input: { reference: 'nul-1', sku: nul, quantity: 1 } }],
        ['nul/addBatch-reference', ADD_BATCH, { input: { reference: nul, sku: 'NUL', quantity: 1 } }],
        [
          'nul/addBatch-eta',
          ADD_BATCH,
          { input: { reference: 'nul-2', sku: 'NUL', quantity: 1, eta: `2026-01-01${'\u0000'}` } },
        ],
        ['nul/allocate-orderId', ALLOCATE, { input: { orderId: nul, sku: 'SEED', quantity: 1 } }],
        ['nul/product', 'query ($sku: String!) { product(sku: $sku) { sku } }', { sku: nul }],
        ['nul/allocations', 'query ($o: String!) { allocations(orderId: $o) { sku } }', { o: nul }],
        [
          'nul/node',
          'query ($id: ID!) { node(id: $id) { id } }',
          { id: Buffer.from(`Product:${nul}`).toString('base64') },
        ],
        [
          'nul/signUp-name',
          SIGN_UP,
          { input: { email: 'nul-name@example.com', password: 'correct horse battery', name: nul } },
        ],
        [
          'nul/signUp-email',
          SIGN_UP,
          { input: { email: `nul${'\u0000'}@example.com`, password: 'correct horse battery', name: 'N' } },
        ],
        [
          'nul/logIn-email',
          LOG_IN,
          { input: { email: `nul${'\u0000'}@example.com`, password: 'correct horse battery' } },
        ],
      ] as const) {
        const raw = await gql<unknown>(label, query, variables);
        expectSafe(raw);
        // A global id naming nothing is null (node's contract); every other NUL is refused with one typed error.
        if (label !== 'nul/node') {
          expect([label, bodyOf(raw).errors?.length ?? 0]).toEqual([label, 1]);
        }
      }
    });

    test('a token with garbage or an injected header is UNAUTHENTICATED, not a 500', async () => {
      for (const token of ["' OR 1=1 --", 'a.b.c', 'e30.e30.', '\u00ff\u00fe', 'x'.repeat(5000)]) {
        const raw = await gql(`auth ${token.slice(0, 10)}`, VIEWER, undefined, { authorization: `Bearer ${token}` });
        expectTypedError(raw, 'UNAUTHENTICATED');
      }
    });

    test('no data changed: every refused request above left the row counts as they were', async () => {
      expect(await rowCounts()).toEqual(before);
    });
  });

  describe('valid but hostile values', () => {
    test('unicode (emoji, RTL, combining marks) in names is stored and returned literally', async () => {
      for (const [index, name] of [
        'Zoë 👩‍🚀🚀',
        'مرحبا بالعالم',
        '\u202Eevil\u202C',
        'e\u0301\u0301',
        '𝕂𝕚𝕟𝕘𝕕𝕠𝕞',
      ].entries()) {
        const email = `unicode${index}@example.com`;
        const raw = await gql(`unicode/signUp ${index}`, SIGN_UP, {
          input: { email, password: 'correct horse battery', name },
        });
        expect(bodyOf(raw).errors).toBeUndefined();
        const signUp = bodyOf(raw).data!.signUp;
        expect(signUp.user.name).toBe(name);
        const viewer = await gql(`unicode/viewer ${index}`, VIEWER, undefined, {
          authorization: `Bearer ${signUp.accessToken}`,
        });
        expect(bodyOf(viewer).data?.viewer?.name).toBe(name);
      }
      // An emoji password counts code points (8 astronauts are 8 characters, 16 UTF-16 units).
      const emojiPassword = await gql('unicode/password', SIGN_UP, {
        input: { email: 'unicode-pw@example.com', password: '🚀'.repeat(8), name: 'P' },
      });
      expect(bodyOf(emojiPassword).errors).toBeUndefined();
      const logIn = await gql('unicode/logIn', LOG_IN, {
        input: { email: 'UNICODE-PW@example.com ', password: '🚀'.repeat(8) },
      });
      expect(bodyOf(logIn).errors).toBeUndefined();
    });

    test('a NUL byte in a password is just a character: stored hashed, or refused with a typed error', async () => {
      const password = `correct${'\u0000'}horse`;
      const signUp = await gql('nul/signUp-password', SIGN_UP, {
        input: { email: 'nul-pw@example.com', password, name: 'N' },
      });
      expectSafe(signUp);
      if (!bodyOf(signUp).errors) {
        const logIn = await gql('nul/logIn-password', LOG_IN, { input: { email: 'nul-pw@example.com', password } });
        expect(bodyOf(logIn).errors).toBeUndefined();
        const without = await gql('nul/logIn-truncated', LOG_IN, {
          input: { email: 'nul-pw@example.com', password: 'correct' },
        });
        expect(codesOf(without)).toEqual(['UNAUTHENTICATED']);
      }
    });

    const PAYLOADS = [
      "' OR 1=1 --",
      "'; DROP TABLE products; --",
      '"; DROP TABLE users; --',
      "1' UNION SELECT email, password_hash FROM users --",
      "admin'--",
      '$1',
      '\\',
      "Robert'); DROP TABLE batches;--",
    ];

    test('SQL injection in every string argument is refused (BAD_USER_INPUT) or stored and returned literally', async () => {
      const refusedOr = <TData>(
        raw: Raw<TData>,
        accepted: (data: TData) => void,
        allowed: string[] = ['BAD_USER_INPUT'],
      ) => {
        expectSafe(raw);
        const errors = bodyOf(raw).errors;
        if (errors) expect(allowed).toContain(errors[0]?.extensions?.code);
        else accepted(bodyOf(raw).data!);
      };
      for (const [index, payload] of PAYLOADS.entries()) {
        refusedOr(
          await gql(`sqli/addBatch-sku ${index}`, ADD_BATCH, {
            input: { reference: `sqli-${index}`, sku: payload, quantity: 1 },
          }),
          (data) => expect(data.addBatch.batch.sku).toBe(payload),
        );
        refusedOr(
          await gql(`sqli/addBatch-reference ${index}`, ADD_BATCH, {
            input: { reference: payload, sku: 'SQLI', quantity: 1 },
          }),
          (data) => expect(data.addBatch.batch.reference).toBe(payload),
        );
        refusedOr(
          await gql(`sqli/addBatch-eta ${index}`, ADD_BATCH, {
            input: { reference: `sqli-eta-${index}`, sku: 'SQLI', quantity: 1, eta: payload },
          }),
          () => {
            throw new Error(`eta ${payload} was accepted`);
          },
        );
        refusedOr(
          await gql(`sqli/allocate-orderId ${index}`, ALLOCATE, {
            input: { orderId: payload, sku: 'SEED', quantity: 1 },
          }),
          () => undefined,
        );
        refusedOr(
          await gql(`sqli/allocate-sku ${index}`, ALLOCATE, {
            input: { orderId: `o-${index}`, sku: payload, quantity: 1 },
          }),
          () => undefined,
          ['BAD_USER_INPUT', 'NOT_FOUND'],
        );
        refusedOr(await gql(`sqli/product ${index}`, PRODUCT_SKU, { sku: payload }), (data) =>
          expect([null, { sku: payload }]).toContainEqual(data.product),
        );
        refusedOr(
          await gql(`sqli/product-literal ${index}`, `{ product(sku: ${JSON.stringify(payload)}) { sku } }`),
          (data) => expect([null, { sku: payload }]).toContainEqual(data.product),
        );
        refusedOr(
          await gql(`sqli/allocations ${index}`, 'query ($o: String!) { allocations(orderId: $o) { sku } }', {
            o: payload,
          }),
          (data) => expect(data.allocations).toEqual([]),
        );
        refusedOr(
          await gql(`sqli/products-after ${index}`, 'query ($a: String) { products(after: $a) { totalCount } }', {
            a: payload,
          }),
          () => {
            throw new Error('a garbage cursor was accepted');
          },
        );
        const signUpName = await gql(`sqli/signUp-name ${index}`, SIGN_UP, {
          input: { email: `sqli${index}@example.com`, password: payload.padEnd(8, '!'), name: payload },
        });
        refusedOr(signUpName, (data) => {
          const user = data.signUp.user;
          expect(user.name).toBe(payload.trim());
        });
        refusedOr(
          await gql(`sqli/signUp-email ${index}`, SIGN_UP, {
            input: { email: payload, password: 'correct horse battery', name: 'S' },
          }),
          () => {
            throw new Error(`email ${payload} was accepted`);
          },
        );
        refusedOr(
          await gql(`sqli/logIn-email ${index}`, LOG_IN, { input: { email: payload, password: payload } }),
          () => {
            throw new Error('logIn with an injected email succeeded');
          },
          ['BAD_USER_INPUT', 'UNAUTHENTICATED'],
        );
        refusedOr(
          await gql(`sqli/logIn-password ${index}`, LOG_IN, {
            input: { email: 'unicode0@example.com', password: payload },
          }),
          () => {
            throw new Error('logIn with an injected password succeeded');
          },
          ['BAD_USER_INPUT', 'UNAUTHENTICATED'],
        );
        // The account created with the payload as its password signs in with exactly that password.
        if (!bodyOf(signUpName).errors) {
          const logIn = await gql(`sqli/logIn-own ${index}`, LOG_IN, {
            input: { email: `sqli${index}@example.com`, password: payload.padEnd(8, '!') },
          });
          expect(bodyOf(logIn).errors).toBeUndefined();
        }
      }
    });

    test('afterwards the schema is unharmed: products query and a direct count work', async () => {
      const products = await gql('after/products', SKUS);
      expect(bodyOf(products).errors).toBeUndefined();
      const skus = bodyOf(products).data!.products.edges.map((edge) => edge.node.sku);
      expect(skus).toContain('SEED');
      const seed = await gql('after/product', PRODUCT, { sku: 'SEED' });
      expect(bodyOf(seed).data?.product?.batches.totalCount).toBe(1);
      const counts = await rowCounts();
      for (const table of ['products', 'batches', 'users']) expect(counts[table]).toBeGreaterThan(0);
      const pool = await createPool(server.database.url, { maximumPoolSize: 1 });
      try {
        const count = await pool.oneFirst(
          sql.type(z.object({ count: z.coerce.number() }))`select count(*) as count from products`,
        );
        expect(count).toBeGreaterThanOrEqual(1);
      } finally {
        await pool.end();
      }
    });

    test('after the battery the server still answers { __typename }, and no response leaked internals', async () => {
      expect(await server.graphql('{ __typename }')).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
      expect(seen.length).toBeGreaterThan(100);
      for (const { label, text } of seen) {
        expect([label, STACK_TRACE.test(text)]).toEqual([label, false]);
        expect([label, /INTERNAL_SERVER_ERROR/.test(text)]).toEqual([label, false]);
      }
    });
  });
});

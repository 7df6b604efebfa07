import { AddBatchDocument, ProductDocument } from '../generated/graphql.ts';
import type { ProductQuery } from '../generated/graphql.ts';
import { startTestServer, type GraphQLResponse, type TestServer } from './support/server.ts';

/** The product of a Product.graphql answer, with its batch connection flattened to the nodes. */
const productOf = (body: GraphQLResponse<ProductQuery>['body']) => {
  const product = body.data?.product;
  if (!product) throw new Error(`no product in ${JSON.stringify(body)}`);
  return { ...product, batches: product.batches.edges.map((edge) => edge.node) };
};

const ADD_BATCH = AddBatchDocument;
const PRODUCT = ProductDocument;

describe('the inventory slice over HTTP on real Postgres', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Twelve writers on one row need up to about twelve rounds in the worst case; the default of 5 attempts is
    // for production traffic, where a caller would rather get CONFLICT than wait.
    server = await startTestServer({ TRANSACTION_MAX_ATTEMPTS: '25' });
  });
  afterAll(() => server.close());

  test('answers { __typename } as a smoke check', async () => {
    const { status, body } = await server.graphql('{ __typename }');
    expect(status).toBe(200);
    expect(body).toEqual({ data: { __typename: 'Query' } });
  });

  test('a batch added through the mutation is read back by the product query, in-stock batches first', async () => {
    const first = await server.admin(ADD_BATCH, {
      input: { reference: 'e2e-late', sku: 'E2E-LAMP', quantity: 20, eta: '2027-03-01' },
    });
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data).toEqual({
      addBatch: {
        batch: { reference: 'e2e-late', sku: 'E2E-LAMP', purchasedQuantity: 20, eta: '2027-03-01' },
        product: { sku: 'E2E-LAMP', version: 1 },
      },
    });
    await server.admin(ADD_BATCH, { input: { reference: 'e2e-here', sku: 'E2E-LAMP', quantity: 5 } });

    const { body } = await server.admin(PRODUCT, { sku: 'E2E-LAMP' });
    const product = productOf(body);
    expect(product.version).toBe(2);
    expect(product.batches.map((batch) => [batch.reference, batch.eta])).toEqual([
      ['e2e-here', null],
      ['e2e-late', '2027-03-01'],
    ]);
    expect(new Date(product.createdAt).toISOString()).toBe(product.createdAt);
    expect(product.batches.every((batch) => batch.product.sku === 'E2E-LAMP')).toBe(true);
  });

  test('an unknown SKU reads as null, not an error', async () => {
    const { body } = await server.admin(PRODUCT, { sku: 'NO-SUCH-SKU' });
    expect(body).toEqual({ data: { product: null } });
  });

  test.each([
    ['a zero quantity', { reference: 'bad-1', sku: 'E2E-BAD', quantity: 0 }, 'quantity'],
    ['a negative quantity', { reference: 'bad-2', sku: 'E2E-BAD', quantity: -3 }, 'quantity'],
    ['a reference with spaces', { reference: 'bad ref', sku: 'E2E-BAD', quantity: 1 }, 'reference'],
    ['an SQL-injection SKU', { reference: 'bad-3', sku: "x'; drop table products; --", quantity: 1 }, 'sku'],
  ])('%s is refused as BAD_USER_INPUT naming the field, and nothing is stored', async (_case, input, field) => {
    const { status, body } = await server.admin(ADD_BATCH, { input });
    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors).toEqual([
      expect.objectContaining({ path: ['addBatch'], extensions: { code: 'BAD_USER_INPUT', field } }),
    ]);
    const after = await server.admin(PRODUCT, { sku: 'E2E-BAD' });
    expect(after.body).toEqual({ data: { product: null } });
  });

  test.each([
    ['a quantity beyond 32 bits', { reference: 'big-1', sku: 'E2E-BIG', quantity: 2 ** 31 }],
    ['an impossible date', { reference: 'big-2', sku: 'E2E-BIG', quantity: 1, eta: '2027-02-30' }],
  ])('%s is refused by the schema before any resolver runs', async (_case, input) => {
    const { status, body } = await server.admin(ADD_BATCH, { input });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await server.admin(PRODUCT, { sku: 'E2E-BIG' })).body).toEqual({ data: { product: null } });
  });

  test('a batch reference already used by another product is refused as BAD_USER_INPUT', async () => {
    await server.admin(ADD_BATCH, { input: { reference: 'shared-ref', sku: 'E2E-ONE', quantity: 1 } });
    const { body } = await server.admin(ADD_BATCH, { input: { reference: 'shared-ref', sku: 'E2E-TWO', quantity: 1 } });
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'reference' });
    expect((await server.admin(PRODUCT, { sku: 'E2E-TWO' })).body).toEqual({ data: { product: null } });
  });

  test('when twelve clients add batches to one new product at once, the retries let every one commit', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        server.admin(ADD_BATCH, { input: { reference: `race-${index}`, sku: 'E2E-RACE', quantity: 1 } }),
      ),
    );
    expect(results.map((result) => result.body.errors)).toEqual(Array(12).fill(undefined));
    const { body } = await server.admin(PRODUCT, { sku: 'E2E-RACE' });
    const product = productOf(body);
    // One version step per committed change: no lost update, no double count.
    expect(product.version).toBe(12);
    expect(product.batches).toHaveLength(12);
  });
});

describe('contended writes with retries disabled', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ TRANSACTION_MAX_ATTEMPTS: '1' });
  });
  afterAll(() => server.close());

  test('writers of one product take turns: none gets CONFLICT even without retries, and every one is stored', async () => {
    await server.admin(ADD_BATCH, { input: { reference: 'seed', sku: 'E2E-HOT', quantity: 1 } });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        server.admin(ADD_BATCH, { input: { reference: `hot-${index}`, sku: 'E2E-HOT', quantity: 1 } }),
      ),
    );
    expect(results.map((result) => String(result.body.errors?.[0]?.extensions?.code ?? 'OK'))).toEqual(
      Array(12).fill('OK'),
    );
    const product = productOf((await server.admin(PRODUCT, { sku: 'E2E-HOT' })).body);
    expect(product.batches).toHaveLength(13);
    expect(product.version).toBe(13);
  });

  test('creators of one new product (no row to lock yet): losers get CONFLICT, and exactly the winner is stored', async () => {
    const codes: string[] = [];
    // Rounds of twelve simultaneous creators of a new product until one loses: a round can happen to serialize.
    for (let round = 0; round < 5 && !codes.includes('CONFLICT'); round += 1) {
      const sku = `E2E-NEW-${round}`;
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, index) =>
          server.admin(ADD_BATCH, { input: { reference: `new-${round}-${index}`, sku, quantity: 1 } }),
        ),
      );
      const roundCodes = results.map((result) => String(result.body.errors?.[0]?.extensions?.code ?? 'OK'));
      codes.push(...roundCodes);
      const product = productOf((await server.admin(PRODUCT, { sku })).body);
      const winners = roundCodes.filter((code) => code === 'OK').length;
      expect(product.batches).toHaveLength(winners);
      expect(product.version).toBe(winners);
    }
    expect(codes.filter((code) => code !== 'OK' && code !== 'CONFLICT')).toEqual([]);
    expect(codes).toContain('CONFLICT');
  });
});

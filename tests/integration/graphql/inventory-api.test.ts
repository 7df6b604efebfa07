import type { ApolloServer } from '@apollo/server';
import { sql } from 'slonik';
import { bootstrap, type BootstrapOptions } from '../../../src/bootstrap.ts';
import type { InventoryViews } from '../../../src/inventory/services/views.ts';
import { createApolloServer } from '../../../src/platform/graphql/apollo.ts';
import type { GraphQLContext } from '../../../src/contexts.ts';
import { buildApplicationSchema } from '../../../src/schema.ts';
import { createRecordingLogger, executeOperation, readOperation, type GraphQLResult } from '../../support/graphql.ts';
import { createPgMemDatabase, type PgMemDatabase } from '../../support/pg-mem.ts';
import { requestContext, TEST_ADMIN_ID } from '../../support/request-context.ts';
import { insertUser } from '../inventory/scoped-warehouse.ts';

const addBatch = readOperation('./operations/add-batch.graphql', import.meta.url);
const addBatchInFull = readOperation('./operations/add-batch-in-full.graphql', import.meta.url);
const product = readOperation('./operations/product.graphql', import.meta.url);

let apollo: ApolloServer<GraphQLContext>;
let database: PgMemDatabase;
let logger: ReturnType<typeof createRecordingLogger>;
let context: GraphQLContext;

beforeAll(() => {
  apollo = createApolloServer({ schema: buildApplicationSchema(), isDevelopment: false });
});
afterAll(async () => apollo.stop());

/**
 * The application as production wires it, over pg-mem, with the context the HTTP server would build for an admin
 * (who may do anything: the inventory's part in authorization is tested in inventory-access.test.ts).
 */
const startApplication = (overrides: Partial<BootstrapOptions> = {}): void => {
  logger = createRecordingLogger();
  context = { ...requestContext(bootstrap({ logger, pool: database.pool, ...overrides })), logger };
};

beforeEach(async () => {
  database = await createPgMemDatabase();
  // The admin exists as a user: the products they create are theirs (products.owner_id references users).
  await insertUser(database, 'admin', TEST_ADMIN_ID);
  startApplication();
});
afterEach(async () => database.end());

const execute = (query: string, variables?: Record<string, unknown>): Promise<GraphQLResult> =>
  executeOperation(apollo, context, query, variables);

const stored = async () => ({
  products: await database.pool.anyFirst(sql.unsafe`SELECT sku FROM products ORDER BY sku`),
  batches: await database.pool.anyFirst(sql.unsafe`SELECT reference FROM batches ORDER BY reference`),
});

const input = (fields: Partial<Record<'reference' | 'sku' | 'quantity' | 'eta', unknown>> = {}) => ({
  input: { reference: 'lamp-1', sku: 'LAMP', quantity: 10, ...fields },
});

describe('the inventory GraphQL API', () => {
  it('adds batches and then answers the product with its batches, in stock first, and its version', async () => {
    const first = await execute(addBatchInFull, input({ reference: 'lamp-1', quantity: 10, eta: '2027-01-15' }));
    const second = await execute(addBatch, input({ reference: 'lamp-2', quantity: 4, eta: null }));

    const answered = await execute(product, { sku: 'LAMP' });

    expect(first).toEqual({
      data: {
        addBatch: {
          batch: {
            reference: 'lamp-1',
            sku: 'LAMP',
            purchasedQuantity: 10,
            eta: '2027-01-15',
            product: { sku: 'LAMP' },
          },
          product: { sku: 'LAMP', version: 1 },
        },
      },
    });
    expect(second).toEqual({ data: { addBatch: { product: { sku: 'LAMP', version: 2 } } } });
    expect(answered).toEqual({
      data: {
        product: {
          sku: 'LAMP',
          description: '',
          version: 2,
          createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/),
          batches: {
            totalCount: 2,
            edges: [
              { node: { reference: 'lamp-2', purchasedQuantity: 4, eta: null } },
              { node: { reference: 'lamp-1', purchasedQuantity: 10, eta: '2027-01-15' } },
            ],
          },
        },
      },
    });
  });

  it('creates the product at version 1 with its first batch', async () => {
    const result = await execute(addBatch, input());

    expect(result).toEqual({ data: { addBatch: { product: { sku: 'LAMP', version: 1 } } } });
    expect(await stored()).toEqual({ products: ['LAMP'], batches: ['lamp-1'] });
  });

  it('answers BAD_USER_INPUT naming the field for a quantity of 0, and stores nothing', async () => {
    const result = await execute(addBatch, input({ quantity: 0 }));

    expect(result.data).toBeNull();
    expect(result.errors).toEqual([
      expect.objectContaining({ path: ['addBatch'], extensions: { code: 'BAD_USER_INPUT', field: 'quantity' } }),
    ]);
    expect(await stored()).toEqual({ products: [], batches: [] });
  });

  it("answers BAD_USER_INPUT for a reference another product's batch has, and stores nothing of the second product", async () => {
    await execute(addBatch, input({ reference: 'shared-1', sku: 'LAMP' }));

    const result = await execute(addBatch, input({ reference: 'shared-1', sku: 'DESK' }));

    expect(result.data).toBeNull();
    expect(result.errors).toEqual([
      expect.objectContaining({ path: ['addBatch'], extensions: { code: 'BAD_USER_INPUT', field: 'reference' } }),
    ]);
    expect(await stored()).toEqual({ products: ['LAMP'], batches: ['shared-1'] });
  });

  it('answers BAD_USER_INPUT for a reference the same product already has, and stores nothing', async () => {
    await execute(addBatch, input({ reference: 'lamp-1', quantity: 10 }));

    const result = await execute(addBatch, input({ reference: 'lamp-1', quantity: 99 }));

    expect(result.errors).toEqual([
      expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'reference' } }),
    ]);
    expect(await database.pool.oneFirst(sql.unsafe`SELECT version FROM products`)).toBe(1);
    expect(await database.pool.anyFirst(sql.unsafe`SELECT purchased_quantity FROM batches`)).toEqual([10]);
  });

  it('refuses an ETA that is not a calendar date (2027-02-30) as BAD_USER_INPUT, and stores nothing', async () => {
    const result = await execute(addBatch, input({ eta: '2027-02-30' }));

    // Refused by the LocalDate scalar before execution (data absent) or by the domain (data null); either is fine.
    expect(result.data ?? null).toBeNull();
    expect(result.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    ]);
    expect(result.errors?.[0]?.message).toContain('eta');
    expect(await stored()).toEqual({ products: [], batches: [] });
  });

  it('answers null for a SKU nobody stocks', async () => {
    await execute(addBatch, input());

    expect(await execute(product, { sku: 'DESK' })).toEqual({ data: { product: null } });
  });

  it('refuses SQL in a SKU as BAD_USER_INPUT and runs none of it', async () => {
    const hostile = "x'; drop table products; --";

    const added = await execute(addBatch, input({ sku: hostile }));
    const read = await execute(product, { sku: hostile });

    expect(added.errors).toEqual([
      expect.objectContaining({ path: ['addBatch'], extensions: { code: 'BAD_USER_INPUT', field: 'sku' } }),
    ]);
    // Reads take any string: the SKU is bound as a value, so it simply matches no product.
    expect(read).toEqual({ data: { product: null } });
    // Throws if the table was dropped.
    expect(await database.pool.oneFirst(sql.unsafe`SELECT count(*) FROM products`)).toBe(0);
  });

  it('masks an unexpected failure as "Internal server error", shows none of its detail and logs it', async () => {
    const leak = new Error('relation "secrets" does not exist: select * from secrets where token = $1');
    const failing: InventoryViews = {
      productBySku: async () => Promise.reject(leak),
      batchByReference: async () => Promise.reject(leak),
      productsBySku: async () => Promise.reject(leak),
      batchesByReference: async () => Promise.reject(leak),
      products: async () => Promise.reject(leak),
      batchesOfProduct: async () => Promise.reject(leak),
      availableQuantityOfProduct: async () => Promise.reject(leak),
      allocationsOfOrder: async () => Promise.reject(leak),
      allocationOfLine: async () => Promise.reject(leak),
      productOwner: async () => Promise.reject(leak),
      batchOwner: async () => Promise.reject(leak),
    };
    startApplication({ overrides: { inventory: { views: () => failing } } });

    const result = await execute(product, { sku: 'LAMP' });

    expect(result).toEqual({
      data: { product: null },
      errors: [{ message: 'Internal server error', path: ['product'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
    expect(JSON.stringify(result)).not.toMatch(/secrets|select/i);
    expect(logger.entries).toEqual([
      expect.objectContaining({ level: 'error', object: expect.objectContaining({ err: leak, path: ['product'] }) }),
    ]);
  });

  it('masks a failing SQL statement, showing neither the statement nor the database message', async () => {
    // A database fault in the middle of a write: the batches table is gone.
    await database.pool.query(sql.unsafe`DROP TABLE batches CASCADE`);

    const result = await execute(addBatch, input());

    expect(result).toEqual({
      data: null,
      errors: [{ message: 'Internal server error', path: ['addBatch'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
    expect(JSON.stringify(result)).not.toMatch(/insert|batches|relation/i);
    expect(logger.entries.filter(({ level }) => level === 'error')).toHaveLength(1);
    expect(await database.pool.anyFirst(sql.unsafe`SELECT sku FROM products`)).toEqual([]);
  });
});

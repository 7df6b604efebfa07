/**
 * A hot product on real Postgres, with the production retry settings (5 attempts): 50 clients allocating from one
 * product at once take turns on its row lock instead of failing, so none ends in CONFLICT, and nothing is
 * oversold. The units each batch's lines hold, kept on the batch, always equal the lines stored.
 */
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { createDatabasePool } from '../../src/platform/database/pool.ts';
import { operation } from './support/operations.ts';
import { startTestServer, type GraphQLResponse, type TestServer } from './support/server.ts';

const ADD_BATCH = operation('AddBatch');
const ALLOCATE = operation('Allocate');
const CLIENTS = 50;

const codeOf = (response: GraphQLResponse): string => String(response.body.errors?.[0]?.extensions?.code ?? 'OK');
const batchTotals = z.object({ purchased: z.number(), held: z.number(), lines: z.number() });

describe('50 clients allocating from one product at once', () => {
  let server: TestServer;
  let pool: DatabasePool;
  beforeAll(async () => {
    server = await startTestServer({ TRANSACTION_MAX_ATTEMPTS: '5' });
    pool = await createDatabasePool(server.database.url, { maxPoolSize: 1 });
  });
  afterAll(async () => {
    await pool?.end();
    await server?.close();
  });

  const race = async (sku: string, units: number) => {
    const { body } = await server.admin(ADD_BATCH, { input: { reference: `${sku}-b`, sku, quantity: units } });
    expect(body.errors).toBeUndefined();
    const responses = await Promise.all(
      Array.from({ length: CLIENTS }, (_, index) =>
        server.admin(ALLOCATE, { input: { orderId: `${sku}-order-${index}`, sku, quantity: 1 } }),
      ),
    );
    const codes = responses.map(codeOf);
    const totals = await pool.one(sql.type(batchTotals)`
      SELECT purchased_quantity AS purchased, allocated_quantity AS held,
             (SELECT count(*) FROM allocations WHERE batch_reference = batches.reference)::int AS lines
      FROM batches WHERE reference = ${`${sku}-b`}`);
    const version = await pool.oneFirst(
      sql.type(z.object({ version: z.number() }))`SELECT version FROM products WHERE sku = ${sku}`,
    );
    return { codes, totals, version };
  };

  test('with stock for all of them: every one is allocated, none ends in CONFLICT, one version each', async () => {
    const { codes, totals, version } = await race('HOT-PLENTY', 100);

    expect(codes.filter((code) => code !== 'OK')).toEqual([]);
    expect(totals).toEqual({ purchased: 100, held: CLIENTS, lines: CLIENTS });
    expect(version).toBe(1 + CLIENTS);
  }, 60_000);

  test('with stock for 30: 30 are allocated, 20 are OUT_OF_STOCK, none ends in CONFLICT, nothing is oversold', async () => {
    const { codes, totals, version } = await race('HOT-SCARCE', 30);

    expect(codes.filter((code) => code === 'OK')).toHaveLength(30);
    expect(codes.filter((code) => code === 'OUT_OF_STOCK')).toHaveLength(CLIENTS - 30);
    expect(totals).toEqual({ purchased: 30, held: 30, lines: 30 });
    expect(version).toBe(1 + 30);
  }, 60_000);
});

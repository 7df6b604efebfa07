import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { createDatabasePool } from '../../src/platform/database/pool.ts';
import {
  AddBatchDocument,
  AllocateDocument,
  AllocationsDocument,
  ChangeBatchQuantityDocument,
  DeallocateDocument,
} from '../generated/graphql.ts';
import { operation } from './support/operations.ts';
import { graphql } from '../generated/index.ts';
import { startTestServer, type GraphQLResponse, type TestServer } from './support/server.ts';
import { eventually } from './support/worker-process.ts';

// Allocation over HTTP on real Postgres: the consistency the Product aggregate promises, under concurrency too.

const ADD_BATCH = AddBatchDocument;
const ALLOCATE = AllocateDocument;
const DEALLOCATE = DeallocateDocument;
const CHANGE_BATCH_QUANTITY = ChangeBatchQuantityDocument;
const ALLOCATIONS = AllocationsDocument;
/** The stock figures of a product, which no client operation of the suite asks for all at once. */
const STOCK = graphql(`
  query Stock($sku: String!) {
    product(sku: $sku) {
      version
      availableQuantity
      batches(first: 100) {
        edges {
          node {
            reference
            purchasedQuantity
            allocatedQuantity
            availableQuantity
          }
        }
      }
    }
  }
`);

type BatchStock = {
  reference: string;
  purchasedQuantity: number;
  allocatedQuantity: number;
  availableQuantity: number;
};
type Stock = { version: number; availableQuantity: number; batches: BatchStock[] };

const codeOf = (response: GraphQLResponse): string => String(response.body.errors?.[0]?.extensions?.code ?? 'OK');

/** Each test file gets its own products, so tests never share a SKU. */
let skus = 0;
const newSku = (): string => `ALLOC-${(skus += 1)}`;

const storedLines = z.object({ orderId: z.string(), batchReference: z.string(), quantity: z.number() });
const batchTotals = z.object({ reference: z.string(), purchased: z.number(), allocated: z.number() });

describe('allocation over HTTP on real Postgres', () => {
  let server: TestServer;
  let pool: DatabasePool;
  beforeAll(async () => {
    // A failed attempt means another writer committed a change to the product in the meantime, so with N writers
    // no request needs more than N attempts: 50 lets every request of the races below go on until it commits or
    // finds no room, and no backoff keeps them short. (The default of 5 attempts is for production, where a caller
    // would rather get CONFLICT than wait; the last describe block races with a single attempt.) The worker runs in
    // the server's process: it reallocates the lines a shrink evicts (the reallocate job), with the same retries.
    server = await startTestServer({
      TRANSACTION_MAX_ATTEMPTS: '50',
      TRANSACTION_RETRY_BASE_DELAY_MS: '0',
      WORKER_IN_API: 'true',
    });
    pool = await createDatabasePool(server.database.url, { maxPoolSize: 2 });
  });
  afterAll(async () => {
    await pool.end();
    await server.close();
  });

  const addBatch = async (sku: string, reference: string, quantity: number, eta: string | null = null) => {
    const { body } = await server.admin(ADD_BATCH, { input: { reference, sku, quantity, eta } });
    expect(body.errors).toBeUndefined();
  };
  const allocate = (orderId: string, sku: string, quantity: number) =>
    server.admin(ALLOCATE, { input: { orderId, sku, quantity } });
  const deallocate = (orderId: string, sku: string) => server.admin(DEALLOCATE, { input: { orderId, sku } });
  const changeBatchQuantity = (reference: string, quantity: number) =>
    server.admin(CHANGE_BATCH_QUANTITY, { input: { reference, quantity } });
  const allocationsOf = async (orderId: string) => {
    const { body } = await server.admin(ALLOCATIONS, { orderId });
    if (!body.data) throw new Error(`no allocations of ${orderId}: ${JSON.stringify(body)}`);
    return body.data.allocations;
  };
  const stockOf = async (sku: string): Promise<Stock> => {
    const { body } = await server.admin(STOCK, { sku });
    expect(body.errors).toBeUndefined();
    const product = body.data?.product;
    if (!product) throw new Error(`no product ${sku}`);
    return { ...product, batches: product.batches.edges.map((edge) => edge.node) };
  };
  const batchOf = (stock: Stock, reference: string): BatchStock => {
    const batch = stock.batches.find((each) => each.reference === reference);
    if (!batch) throw new Error(`no batch ${reference}`);
    return batch;
  };
  /** The committed allocations of a product, straight from the table. */
  const linesIn = (sku: string) =>
    pool.any(sql.type(storedLines)`
      SELECT order_id AS "orderId", batch_reference AS "batchReference", quantity
      FROM allocations WHERE sku = ${sku} ORDER BY order_id`);
  const totalsOf = (sku: string) =>
    pool.any(sql.type(batchTotals)`
      SELECT reference, purchased_quantity AS purchased,
             COALESCE((SELECT sum(quantity) FROM allocations WHERE batch_reference = reference), 0)::int AS allocated
      FROM batches WHERE sku = ${sku} ORDER BY reference`);
  const allocatedUnits = async (sku: string) =>
    Number(await pool.oneFirst(sql.unsafe`SELECT COALESCE(sum(quantity), 0) FROM allocations WHERE sku = ${sku}`));
  /**
   * Until the worker has run every job: reallocations, and the notifications they raise (each enqueued before the
   * job that raised it completes). A job that keeps failing stays queued, so this times out rather than hiding it.
   */
  const jobsSettled = () =>
    eventually(
      async () =>
        Number(await pool.oneFirst(sql.unsafe`SELECT count(*) FROM graphile_worker.jobs`)) === 0 ? true : undefined,
      'the background jobs to finish',
      30_000,
    );
  /** The orders of `sku` the warehouse was mailed about (notifyOutOfStock): no batch could hold their line. */
  const reportedOutOfStock = async (sku: string, orderIds: readonly string[]) => {
    const bodies = await pool.anyFirst(sql.type(z.object({ body: z.string() }))`
      SELECT body FROM sent_emails WHERE subject = ${`Out of stock: ${sku}`}`);
    return orderIds.filter((orderId) => bodies.some((body) => body.includes(`Order ${orderId} asked`)));
  };

  describe('one client at a time', () => {
    test('allocates to the batch in stock, counts it once, shows it in the read model, and deallocating releases it', async () => {
      const sku = newSku();
      await addBatch(sku, `${sku}-later`, 20, '2027-03-01');
      await addBatch(sku, `${sku}-here`, 10);

      const first = await allocate(`${sku}-order-1`, sku, 3);
      expect(first.body).toEqual({
        data: {
          allocate: {
            batchReference: `${sku}-here`,
            batch: { reference: `${sku}-here`, purchasedQuantity: 10, allocatedQuantity: 3, availableQuantity: 7 },
          },
        },
      });
      let stock = await stockOf(sku);
      expect(stock.availableQuantity).toBe(27);
      expect(batchOf(stock, `${sku}-here`)).toMatchObject({ allocatedQuantity: 3, availableQuantity: 7 });
      expect(batchOf(stock, `${sku}-later`)).toMatchObject({ allocatedQuantity: 0, availableQuantity: 20 });
      expect(await allocationsOf(`${sku}-order-1`)).toEqual([
        { orderId: `${sku}-order-1`, sku, batchReference: `${sku}-here`, batch: { reference: `${sku}-here`, sku } },
      ]);

      // The same line again (even asking another quantity): the same batch, nothing counted twice.
      const again = await allocate(`${sku}-order-1`, sku, 5);
      expect(again.body.errors).toBeUndefined();
      expect(again.body.data?.allocate).toMatchObject({
        batchReference: `${sku}-here`,
        batch: { allocatedQuantity: 3 },
      });
      stock = await stockOf(sku);
      expect(stock.availableQuantity).toBe(27);
      expect(await linesIn(sku)).toEqual([{ orderId: `${sku}-order-1`, batchReference: `${sku}-here`, quantity: 3 }]);
      expect(await allocationsOf(`${sku}-order-1`)).toHaveLength(1);

      const released = await deallocate(`${sku}-order-1`, sku);
      expect(released.body).toEqual({ data: { deallocate: { batchReference: `${sku}-here` } } });
      stock = await stockOf(sku);
      expect(stock.availableQuantity).toBe(30);
      expect(batchOf(stock, `${sku}-here`)).toMatchObject({ allocatedQuantity: 0, availableQuantity: 10 });
      expect(await linesIn(sku)).toEqual([]);
      expect(await allocationsOf(`${sku}-order-1`)).toEqual([]);
    });

    test('a line that no longer fits the in-stock batch goes to the batch arriving soonest', async () => {
      const sku = newSku();
      await addBatch(sku, `${sku}-far`, 10, '2027-06-01');
      await addBatch(sku, `${sku}-near`, 10, '2027-02-01');
      await addBatch(sku, `${sku}-here`, 4);

      expect((await allocate(`${sku}-order-1`, sku, 3)).body.data?.allocate).toMatchObject({
        batchReference: `${sku}-here`,
      });
      expect((await allocate(`${sku}-order-2`, sku, 3)).body.data?.allocate).toMatchObject({
        batchReference: `${sku}-near`,
      });
      expect(await allocationsOf(`${sku}-order-2`)).toEqual([
        expect.objectContaining({ sku, batchReference: `${sku}-near` }),
      ]);
    });

    test('shrinking a batch under its allocations evicts the most recent line, which the worker moves to another batch', async () => {
      const sku = newSku();
      await addBatch(sku, `${sku}-here`, 10);
      await addBatch(sku, `${sku}-later`, 10, '2027-03-01');
      await allocate(`${sku}-order-old`, sku, 4);
      await allocate(`${sku}-order-new`, sku, 4);
      const before = await stockOf(sku);

      const changed = await changeBatchQuantity(`${sku}-here`, 5);

      expect(changed.body.errors).toBeUndefined();
      // The answer shows the shrink; the reallocation is the worker's job (which may have run already).
      expect(changed.body.data?.changeBatchQuantity).toMatchObject({
        batch: { reference: `${sku}-here`, purchasedQuantity: 5, allocatedQuantity: 4, availableQuantity: 1 },
        product: { sku },
      });
      await eventually(
        async () =>
          (await allocationsOf(`${sku}-order-new`))[0]?.batchReference === `${sku}-later` ? true : undefined,
        'the evicted line to show in its new batch in the read model',
      );
      // The change and the reallocation are one version each.
      expect((await stockOf(sku)).version).toBe(before.version + 2);
      expect(await linesIn(sku)).toEqual([
        { orderId: `${sku}-order-new`, batchReference: `${sku}-later`, quantity: 4 },
        { orderId: `${sku}-order-old`, batchReference: `${sku}-here`, quantity: 4 },
      ]);
      expect(await allocationsOf(`${sku}-order-new`)).toEqual([
        expect.objectContaining({ batchReference: `${sku}-later` }),
      ]);
      expect(await allocationsOf(`${sku}-order-old`)).toEqual([
        expect.objectContaining({ batchReference: `${sku}-here` }),
      ]);
    });

    test('a line evicted with nowhere else to go is no longer allocated, in the table and in the read model, and is reported', async () => {
      const sku = newSku();
      await addBatch(sku, `${sku}-only`, 6);
      await allocate(`${sku}-order-1`, sku, 3);
      await allocate(`${sku}-order-2`, sku, 3);

      const changed = await changeBatchQuantity(`${sku}-only`, 4);

      expect(changed.body.errors).toBeUndefined();
      expect(changed.body.data?.changeBatchQuantity).toMatchObject({ product: { version: 4 } });
      await jobsSettled();
      // The reallocation found no room: OutOfStock committed (and mailed), the job completed, no version bumped.
      expect(await reportedOutOfStock(sku, [`${sku}-order-1`, `${sku}-order-2`])).toEqual([`${sku}-order-2`]);
      expect((await stockOf(sku)).version).toBe(4);
      expect(await linesIn(sku)).toEqual([{ orderId: `${sku}-order-1`, batchReference: `${sku}-only`, quantity: 3 }]);
      expect(await allocationsOf(`${sku}-order-2`)).toEqual([]);
      expect(await allocationsOf(`${sku}-order-1`)).toHaveLength(1);
    });

    test('the version goes up by exactly one per committed change: 1, 2, 2, 3, 4, and not for a change to the same quantity', async () => {
      const sku = newSku();
      const versions: number[] = [];
      const step = async (request: () => Promise<GraphQLResponse>) => {
        const { body } = await request();
        expect(body.errors).toBeUndefined();
        versions.push((await stockOf(sku)).version);
      };

      await step(() => server.admin(ADD_BATCH, { input: { reference: `${sku}-b`, sku, quantity: 10 } }));
      await step(() => allocate(`${sku}-order-1`, sku, 2));
      await step(() => allocate(`${sku}-order-1`, sku, 2));
      await step(() => deallocate(`${sku}-order-1`, sku));
      await step(() => changeBatchQuantity(`${sku}-b`, 8));
      await step(() => changeBatchQuantity(`${sku}-b`, 8));

      expect(versions).toEqual([1, 2, 2, 3, 4, 4]);
    });

    test('an unknown SKU is NOT_FOUND, for allocate and deallocate, and creates nothing', async () => {
      const sku = newSku();
      const allocated = await allocate(`${sku}-order-1`, sku, 1);
      expect(allocated.status).toBe(200);
      expect(allocated.body.data).toBeNull();
      expect(allocated.body.errors).toEqual([
        expect.objectContaining({ path: ['allocate'], extensions: { code: 'NOT_FOUND', field: 'sku' } }),
      ]);
      expect(codeOf(await deallocate(`${sku}-order-1`, sku))).toBe('NOT_FOUND');
      expect((await server.admin(STOCK, { sku })).body).toEqual({ data: { product: null } });
      expect(await allocationsOf(`${sku}-order-1`)).toEqual([]);
    });

    test('deallocating a line that is not allocated is NOT_FOUND and changes nothing', async () => {
      const sku = newSku();
      await addBatch(sku, `${sku}-b`, 5);
      const { body } = await deallocate(`${sku}-nobody`, sku);
      expect(body.errors).toEqual([
        expect.objectContaining({ path: ['deallocate'], extensions: { code: 'NOT_FOUND', field: 'orderId' } }),
      ]);
      expect((await stockOf(sku)).version).toBe(1);
    });

    test.each([
      ['zero', 0],
      ['negative', -2],
    ])(
      'a %s quantity is refused as BAD_USER_INPUT naming the field, and nothing is allocated',
      async (_case, quantity) => {
        const sku = newSku();
        await addBatch(sku, `${sku}-b`, 5);
        const { status, body } = await allocate(`${sku}-order-1`, sku, quantity);
        expect(status).toBe(200);
        expect(body.errors).toEqual([
          expect.objectContaining({ path: ['allocate'], extensions: { code: 'BAD_USER_INPUT', field: 'quantity' } }),
        ]);
        expect(await stockOf(sku)).toMatchObject({ version: 1, availableQuantity: 5 });
        expect(await linesIn(sku)).toEqual([]);
      },
    );

    test.each([
      ['a quantity beyond 32 bits', 2 ** 31],
      ['a fractional quantity', 1.5],
      ['a quantity written as text', '1'],
    ])('%s is refused by the schema before any resolver runs', async (_case, quantity) => {
      const sku = newSku();
      await addBatch(sku, `${sku}-b`, 5);
      // A string, not the typed document: these variables are wrong on purpose.
      const { status, body } = await server.admin(operation('Allocate'), {
        input: { orderId: `${sku}-order-1`, sku, quantity },
      });
      expect(status).toBe(400);
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(await stockOf(sku)).toMatchObject({ version: 1, availableQuantity: 5 });
      expect(await linesIn(sku)).toEqual([]);
    });

    test('an order id that is not an identifier is BAD_USER_INPUT', async () => {
      const sku = newSku();
      await addBatch(sku, `${sku}-b`, 5);
      const { body } = await allocate("o'; drop table allocations; --", sku, 1);
      expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'orderId' });
      expect(await linesIn(sku)).toEqual([]);
    });

    test('when no batch has room, allocate is OUT_OF_STOCK and changes nothing', async () => {
      const sku = newSku();
      await addBatch(sku, `${sku}-here`, 5);
      await addBatch(sku, `${sku}-later`, 5, '2027-03-01');
      await allocate(`${sku}-order-1`, sku, 4);
      await allocate(`${sku}-order-2`, sku, 4);
      const before = await stockOf(sku);

      // 2 units are free in all, but no single batch holds 3 (a line is never split).
      const { status, body } = await allocate(`${sku}-order-3`, sku, 3);

      expect(status).toBe(200);
      expect(body.data).toBeNull();
      expect(body.errors).toEqual([
        expect.objectContaining({ path: ['allocate'], extensions: { code: 'OUT_OF_STOCK' } }),
      ]);
      expect(await stockOf(sku)).toEqual(before);
      expect(before).toMatchObject({ version: 4, availableQuantity: 2 });
      expect((await linesIn(sku)).map((line) => line.orderId)).toEqual([`${sku}-order-1`, `${sku}-order-2`]);
      expect(await allocationsOf(`${sku}-order-3`)).toEqual([]);
    });

    test('changeBatchQuantity of an unknown batch is NOT_FOUND; a zero quantity is BAD_USER_INPUT and changes nothing', async () => {
      const sku = newSku();
      await addBatch(sku, `${sku}-b`, 5);

      const unknown = await changeBatchQuantity(`${sku}-nope`, 3);
      expect(unknown.body.errors).toEqual([
        expect.objectContaining({
          path: ['changeBatchQuantity'],
          extensions: { code: 'NOT_FOUND', field: 'reference' },
        }),
      ]);
      const zero = await changeBatchQuantity(`${sku}-b`, 0);
      expect(zero.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'quantity' });
      expect(await stockOf(sku)).toMatchObject({
        version: 1,
        batches: [expect.objectContaining({ purchasedQuantity: 5 })],
      });
    });
  });

  describe('many clients at once', () => {
    test('of 50 simultaneous one-unit allocations against 10 units, exactly 10 commit and the rest are refused', async () => {
      const sku = newSku();
      await addBatch(sku, `${sku}-b`, 10);
      const orders = Array.from({ length: 50 }, (_, index) => `${sku}-race-${String(index).padStart(2, '0')}`);

      const responses = await Promise.all(orders.map((orderId) => allocate(orderId, sku, 1)));

      const codes = responses.map(codeOf);
      const successes = codes.filter((code) => code === 'OK').length;
      const outOfStock = codes.filter((code) => code === 'OUT_OF_STOCK').length;
      const conflict = codes.filter((code) => code === 'CONFLICT').length;
      expect(successes).toBe(10);
      expect(successes + outOfStock + conflict).toBe(50);
      const winners = orders.filter((_, index) => codes[index] === 'OK');
      expect(
        responses.filter((response) => codeOf(response) === 'OK').map((response) => response.body.data?.allocate),
      ).toEqual(Array(10).fill(expect.objectContaining({ batchReference: `${sku}-b` })));
      expect(await allocatedUnits(sku)).toBe(10);
      expect((await linesIn(sku)).map((line) => line.orderId)).toEqual(winners);
      const stock = await stockOf(sku);
      // One version for the product's creation, one per committed allocation; refusals bump nothing.
      expect(stock).toMatchObject({ version: 11, availableQuantity: 0, batches: [{ allocatedQuantity: 10 }] });
      // The read model, written after each commit, holds exactly the winners.
      const inView = await Promise.all(orders.map(async (orderId) => (await allocationsOf(orderId)).length));
      expect(orders.filter((_, index) => inView[index] === 1)).toEqual(winners);
      expect(inView.every((count) => count <= 1)).toBe(true);
    }, 60_000);

    test('a batch shrunk while 15 allocations race: nothing over-allocated, every line accounted for, one version per change', async () => {
      const sku = newSku();
      const [a, b] = [`${sku}-a`, `${sku}-b`];
      await addBatch(sku, a, 10);
      await addBatch(sku, b, 10, '2027-03-01');
      const orders = Array.from({ length: 15 }, (_, index) => `${sku}-line-${String(index).padStart(2, '0')}`);

      // The shrink is sent once five allocations have answered, so A holds at least five lines when it commits
      // (some of them must be evicted) while the other ten are still racing it.
      let answered = 0;
      let fifthAnswer: () => void = () => undefined;
      const fiveAnswered = new Promise<void>((resolve) => (fifthAnswer = resolve));
      const allocations = orders.map(async (orderId) => {
        const response = await allocate(orderId, sku, 1);
        if ((answered += 1) === 5) fifthAnswer();
        return response;
      });
      const change = fiveAnswered.then(() => changeBatchQuantity(a, 4));
      const responses = await Promise.all(allocations);
      const changed = await change;
      // The evicted lines' reallocate jobs race the allocations still in flight, in the worker; all are done here.
      await jobsSettled();

      expect(changed.body.errors).toBeUndefined();
      const codes = responses.map(codeOf);
      expect(codes.filter((code) => !['OK', 'OUT_OF_STOCK', 'CONFLICT'].includes(code))).toEqual([]);
      const answeredBatch = responses.map((response) =>
        codeOf(response) === 'OK' ? response.body.data!.allocate.batchReference : null,
      );

      // No batch holds more than it has, in the table itself.
      const totals = await totalsOf(sku);
      expect(totals.map((batch) => batch.purchased)).toEqual([4, 10]);
      for (const batch of totals) expect(batch.allocated).toBeLessThanOrEqual(batch.purchased);

      // Where each line ended up: a line is stored at most once (primary key), so units equal lines.
      const lines = await linesIn(sku);
      const finalBatch = new Map(lines.map((line) => [line.orderId, line.batchReference]));
      expect(lines.every((line) => line.quantity === 1)).toBe(true);
      expect(await allocatedUnits(sku)).toBe(lines.length);
      const outcomes = orders.map((orderId, index) => [
        answeredBatch[index] ?? codes[index],
        finalBatch.get(orderId) ?? 'none',
      ]);
      for (const [answer, final] of outcomes) {
        // Refused lines were never stored; lines answered with B stay there (B never shrinks); lines answered with
        // A stay there, were reallocated to B, or were evicted when no batch had room.
        if (answer === 'OUT_OF_STOCK' || answer === 'CONFLICT') expect(final).toBe('none');
        else if (answer === b) expect(final).toBe(b);
        else expect([a, b, 'none']).toContain(final);
      }
      const evicted = outcomes.filter(([answer, final]) => answer === a && final !== a);
      const reallocated = evicted.filter(([, final]) => final === b).length;
      expect(evicted.length).toBeGreaterThanOrEqual(1);
      // A line is refused or lost only when no batch had room for it then; free units never come back here.
      const lost = orders.filter((_, index) => codes[index] !== 'CONFLICT' && outcomes[index]![1] === 'none');
      const free = totals.reduce((sum, batch) => sum + batch.purchased - batch.allocated, 0);
      if (lost.length > 0) expect(free).toBe(0);
      // None is dropped silently: every line refused, or evicted with nowhere to go, was reported out of stock.
      expect(await reportedOutOfStock(sku, orders)).toEqual(lost);

      // Two batches added, one version per committed allocation, one for the shrink, one per reallocation.
      const stock = await stockOf(sku);
      const committedAllocations = codes.filter((code) => code === 'OK').length;
      expect(stock.version).toBe(2 + committedAllocations + 1 + reallocated);
      expect(stock.batches.map((batch) => [batch.reference, batch.allocatedQuantity])).toEqual(
        totals.map((batch) => [batch.reference, batch.allocated]),
      );

      // The read model agrees with the table once every request has answered.
      const inView = await Promise.all(orders.map((orderId) => allocationsOf(orderId)));
      expect(inView.map((rows) => rows.map((row) => row.batchReference))).toEqual(
        orders.map((orderId) => (finalBatch.has(orderId) ? [finalBatch.get(orderId)] : [])),
      );
    }, 60_000);
  });
});

describe('allocation races with a single attempt per request', () => {
  let server: TestServer;
  let pool: DatabasePool;
  beforeAll(async () => {
    server = await startTestServer({ TRANSACTION_MAX_ATTEMPTS: '1' });
    pool = await createDatabasePool(server.database.url, { maxPoolSize: 1 });
  });
  afterAll(async () => {
    await pool.end();
    await server.close();
  });

  test('a CONFLICT commits nothing: the stored allocations are exactly the successful answers', async () => {
    await server.admin(ADD_BATCH, { input: { reference: 'single-b', sku: 'SINGLE', quantity: 10 } });
    const orders = Array.from({ length: 50 }, (_, index) => `single-${String(index).padStart(2, '0')}`);

    const codes = (
      await Promise.all(
        orders.map((orderId) => server.admin(ALLOCATE, { input: { orderId, sku: 'SINGLE', quantity: 1 } })),
      )
    ).map(codeOf);

    const winners = orders.filter((_, index) => codes[index] === 'OK');
    expect(codes.filter((code) => !['OK', 'OUT_OF_STOCK', 'CONFLICT'].includes(code))).toEqual([]);
    expect(winners.length).toBeGreaterThanOrEqual(1);
    expect(winners.length).toBeLessThanOrEqual(10);
    // Out of stock is only ever the verdict of a snapshot in which all 10 units were taken.
    if (codes.includes('OUT_OF_STOCK')) expect(winners).toHaveLength(10);
    const stored = await pool.anyFirst(
      sql.unsafe`SELECT order_id FROM allocations WHERE sku = 'SINGLE' ORDER BY order_id`,
    );
    expect(stored).toEqual(winners);
    const { body } = await server.admin(STOCK, { sku: 'SINGLE' });
    expect(body.data?.product).toMatchObject({ version: 1 + winners.length, availableQuantity: 10 - winners.length });
  }, 60_000);
});

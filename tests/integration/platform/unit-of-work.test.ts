import { sql, type DatabasePool, type DriverFactory } from 'slonik';
import { ConcurrentUpdateError, DomainError } from '../../../src/core/errors.ts';
import type { DomainEvent } from '../../../src/core/messages.ts';
import type { IsolationLevel, UnitOfWork } from '../../../src/core/ports.ts';
import { createAllocationsViewWriter } from '../../../src/inventory/adapters/slonik-allocations-view.ts';
import { createProductRepository } from '../../../src/inventory/adapters/slonik-product-repository.ts';
import type { BatchAdded } from '../../../src/inventory/domain/events.ts';
import { addBatch, newProduct } from '../../../src/inventory/domain/product.ts';
import type { InventoryRepositories } from '../../../src/inventory/services/ports.ts';
import { createSlonikInbox } from '../../../src/platform/database/inbox.ts';
import { createDatabasePool } from '../../../src/platform/database/pool.ts';
import type { RetryPolicy } from '../../../src/platform/database/retry.ts';
import { createSlonikUnitOfWork } from '../../../src/platform/database/unit-of-work.ts';
import { createPgMemDatabase, type PgMemDatabase } from '../../support/pg-mem.ts';
import { createPgMemDriverFactory } from '../../support/pg-mem-driver.ts';

let database: PgMemDatabase;
let retries: number[];

const policy = (maxAttempts: number): RetryPolicy => ({
  maxAttempts,
  baseDelayMs: 1,
  sleep: async () => undefined,
  onRetry: (attempt) => void retries.push(attempt),
});

const unitOfWork = (maxAttempts = 3, pool: DatabasePool = database.pool): UnitOfWork<InventoryRepositories> =>
  createSlonikUnitOfWork(
    pool,
    (connection, events) => ({
      products: createProductRepository(connection, events),
      allocationsView: createAllocationsViewWriter(connection),
      inbox: createSlonikInbox(connection),
    }),
    policy(maxAttempts),
  );

beforeEach(async () => {
  database = await createPgMemDatabase();
  retries = [];
});
afterEach(async () => database.end());

/** The work of an AddBatch for a product not stocked yet: load (finds nothing), add the batch, save. */
const addFirstBatch = async ({ products }: InventoryRepositories): Promise<void> => {
  const product = (await products.get('LAMP')) ?? newProduct('LAMP');
  await products.save(addBatch(product, { reference: 'lamp-1', quantity: 10, eta: null }));
};

const batchAdded = (): BatchAdded => ({
  type: 'BatchAdded',
  sku: 'LAMP',
  reference: 'lamp-1',
  quantity: 10,
  eta: null,
});

const storedRows = async () => ({
  products: await database.pool.anyFirst(sql.unsafe`SELECT sku FROM products`),
  batches: await database.pool.anyFirst(sql.unsafe`SELECT reference FROM batches`),
});

/**
 * The harness's driver, except that the first COMMIT fails as Postgres fails a SERIALIZABLE transaction at commit:
 * SQLSTATE 40001, the transaction rolled back.
 */
const failingFirstCommit = (driverFactory: DriverFactory): DriverFactory => {
  let failed = false;
  return async (setup) => {
    const driver = await driverFactory(setup);
    return {
      createClient: async () => {
        const client = await driver.createClient();
        return {
          ...client,
          query: async (text, values, options) => {
            if (text !== 'COMMIT' || failed) return client.query(text, values, options);
            failed = true;
            await client.query('ROLLBACK');
            throw Object.assign(new Error('could not serialize access due to read/write dependencies'), {
              code: '40001',
            });
          },
        };
      },
    };
  };
};

describe('the slonik unit of work', () => {
  it('hands out the events of saved aggregates only once the transaction has committed, and only once', async () => {
    const uow = unitOfWork();
    let seenBeforeCommit: DomainEvent[] | undefined;

    await uow.transaction('REPEATABLE READ', async (repositories) => {
      await addFirstBatch(repositories);
      seenBeforeCommit = uow.collectNewEvents();
    });

    expect(seenBeforeCommit).toEqual([]);
    expect(uow.collectNewEvents()).toEqual([batchAdded()]);
    expect(uow.collectNewEvents()).toEqual([]);
  });

  it('hands out no events of an attempt whose COMMIT failed, only those of the attempt that committed', async () => {
    const { db, statements } = database;
    const pool = await createDatabasePool('postgres://pg-mem/test', {
      driverFactory: failingFirstCommit(createPgMemDriverFactory({ db, statements })),
      maxPoolSize: 1,
    });
    try {
      const uow = unitOfWork(3, pool);
      let attempts = 0;

      await uow.transaction('SERIALIZABLE', async (repositories) => {
        attempts += 1;
        await addFirstBatch(repositories);
      });

      expect(attempts).toBe(2);
      expect(uow.collectNewEvents()).toEqual([batchAdded()]);
      expect(await storedRows()).toEqual({ products: ['LAMP'], batches: ['lamp-1'] });
    } finally {
      await pool.end();
    }
  });

  it('returns what the work returned', async () => {
    const result = await unitOfWork().transaction('READ COMMITTED', async (repositories) => {
      await addFirstBatch(repositories);
      return { answer: 42 };
    });

    expect(result).toEqual({ answer: 42 });
  });

  it('leaves neither rows nor events behind when the work throws, and passes the error on untouched', async () => {
    const uow = unitOfWork();
    const failure = new Error('boom');

    const running = uow.transaction('REPEATABLE READ', async (repositories) => {
      await addFirstBatch(repositories);
      throw failure;
    });

    await expect(running).rejects.toBe(failure);
    expect(retries).toEqual([]);
    expect(await storedRows()).toEqual({ products: [], batches: [] });
    expect(uow.collectNewEvents()).toEqual([]);
  });

  it('re-runs a work that lost to a concurrent update, and its events appear once, not once per attempt', async () => {
    const uow = unitOfWork();
    let attempts = 0;

    const result = await uow.transaction('REPEATABLE READ', async (repositories) => {
      attempts += 1;
      // The first attempt saves (recording an event), then finds it lost the race.
      await addFirstBatch(repositories);
      if (attempts === 1) throw new ConcurrentUpdateError('Product LAMP');
      return attempts;
    });

    expect(result).toBe(2);
    expect(retries).toEqual([1]);
    expect(uow.collectNewEvents()).toEqual([batchAdded()]);
    expect(await storedRows()).toEqual({ products: ['LAMP'], batches: ['lamp-1'] });
    expect(await database.pool.oneFirst(sql.unsafe`SELECT version FROM products`)).toBe(1);
  });

  it('re-runs a work that hit a serialization failure (SQLSTATE 40001)', async () => {
    const uow = unitOfWork();
    let attempts = 0;

    await uow.transaction('SERIALIZABLE', async (repositories) => {
      attempts += 1;
      await addFirstBatch(repositories);
      if (attempts === 1) {
        throw Object.assign(new Error('could not serialize access due to concurrent update'), { code: '40001' });
      }
    });

    expect(attempts).toBe(2);
    expect(uow.collectNewEvents()).toEqual([batchAdded()]);
  });

  it('gives up after maxAttempts with a Conflict domain error, leaving no rows and no events', async () => {
    const uow = unitOfWork(3);
    let attempts = 0;

    const running = uow.transaction('REPEATABLE READ', async (repositories) => {
      attempts += 1;
      await addFirstBatch(repositories);
      throw new ConcurrentUpdateError('Product LAMP');
    });

    await expect(running).rejects.toBeInstanceOf(DomainError);
    await expect(running).rejects.toMatchObject({ category: 'Conflict', details: { attempts: 3 } });
    expect(attempts).toBe(3);
    expect(retries).toEqual([1, 2]);
    expect(await storedRows()).toEqual({ products: [], batches: [] });
    expect(uow.collectNewEvents()).toEqual([]);
  });

  it.each<IsolationLevel>(['READ COMMITTED', 'REPEATABLE READ', 'SERIALIZABLE'])(
    'sets %s as the first statement of every transaction it opens, retries included',
    async (isolation) => {
      let attempts = 0;
      database.statements.length = 0;

      await unitOfWork().transaction(isolation, async (repositories) => {
        attempts += 1;
        await addFirstBatch(repositories);
        if (attempts === 1) throw new ConcurrentUpdateError('Product LAMP');
      });

      const starts = database.statements.flatMap((statement, index) =>
        statement === 'START TRANSACTION' ? [index] : [],
      );
      expect(starts).toHaveLength(2);
      for (const start of starts) {
        expect(database.statements[start + 1]).toBe(`SET TRANSACTION ISOLATION LEVEL ${isolation}`);
      }
    },
  );
});

/**
 * A small warehouse for the scoped-view tests, straight into pg-mem, and the scopes they read it through.
 * Alice owns LAMP, Bob owns DESK, nobody owns SOFA; order o-1 has a line on each.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'slonik';
import type { ReadScope, Resource, Scope } from '../../../src/core/access.ts';
import type { PgMemDatabase } from '../../support/pg-mem.ts';

export const NOTHING: Scope = { every: false, keys: [], ownerId: null };

/** A ReadScope answering `scopes` per resource (nothing for the others), recording what it was asked. */
export const scopes = (given: Partial<Record<Resource, Scope>>): ReadScope & { readonly asked: Resource[] } => {
  const asked: Resource[] = [];
  const read = async (resource: Resource): Promise<Scope> => {
    asked.push(resource);
    return given[resource] ?? NOTHING;
  };
  return Object.assign(read, { asked });
};

export const keys = (...selected: string[]): Scope => ({ every: false, keys: selected, ownerId: null });
export const ownedBy = (ownerId: string, ...selected: string[]): Scope => ({ every: false, keys: selected, ownerId });

/** Owners are users (a foreign key): one with just enough columns. */
export const insertUser = async (database: PgMemDatabase, name: string, id: string = randomUUID()): Promise<string> => {
  await database.pool.query(sql.unsafe`
    INSERT INTO users (id, email, name, password_hash) VALUES (${id}, ${`${name}@example.com`}, ${name}, 'not-a-hash')`);
  return id;
};

export const insertProduct = (database: PgMemDatabase, sku: string, ownerId: string | null) =>
  database.pool.query(sql.unsafe`
    INSERT INTO products (sku, description, version, owner_id) VALUES (${sku}, '', 1, ${ownerId}::uuid)`);

const insertBatch = (database: PgMemDatabase, reference: string, sku: string, quantity: number, eta: string | null) =>
  database.pool.query(sql.unsafe`
    INSERT INTO batches (reference, sku, purchased_quantity, eta) VALUES (${reference}, ${sku}, ${quantity}, ${eta}::date)`);

/**
 * In the aggregate's table, with the units its batch holds (which availability counts, kept by the repository),
 * and in the read model (which Query.allocations reads).
 */
const insertAllocation = async (
  database: PgMemDatabase,
  orderId: string,
  sku: string,
  reference: string,
  quantity: number,
) => {
  await database.pool.query(sql.unsafe`
    INSERT INTO allocations (order_id, sku, batch_reference, quantity) VALUES (${orderId}, ${sku}, ${reference}, ${quantity})`);
  await database.pool.query(sql.unsafe`
    UPDATE batches SET allocated_quantity = allocated_quantity + ${quantity} WHERE reference = ${reference}`);
  await database.pool.query(sql.unsafe`
    INSERT INTO allocations_view (order_id, sku, batch_reference) VALUES (${orderId}, ${sku}, ${reference})`);
};

export type Warehouse = { readonly alice: string; readonly bob: string };

export const seedWarehouse = async (database: PgMemDatabase): Promise<Warehouse> => {
  const alice = await insertUser(database, 'alice');
  const bob = await insertUser(database, 'bob');
  await insertProduct(database, 'LAMP', alice);
  await insertProduct(database, 'DESK', bob);
  await insertProduct(database, 'SOFA', null);
  await insertBatch(database, 'lamp-1', 'LAMP', 10, null);
  await insertBatch(database, 'lamp-2', 'LAMP', 5, '2027-01-15');
  await insertBatch(database, 'desk-1', 'DESK', 4, null);
  await insertBatch(database, 'sofa-1', 'SOFA', 2, null);
  await insertAllocation(database, 'o-1', 'LAMP', 'lamp-1', 3);
  await insertAllocation(database, 'o-1', 'DESK', 'desk-1', 1);
  await insertAllocation(database, 'o-1', 'SOFA', 'sofa-1', 2);
  return { alice, bob };
};

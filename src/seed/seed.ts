/**
 * Seeds the development data set (./data-set.ts), sent through the bus as a client's commands would be (so every
 * rule, event and background job applies). `npm run db:seed` runs it on demand; the development server runs it on a
 * database without products (SEED_EMPTY_DATABASE, on by default for the embedded Postgres). Idempotent: it only adds
 * what is missing, never changes or deletes what is there.
 */
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { bootstrap, type Application } from '../bootstrap.ts';
import { DomainError } from '../core/errors.ts';
import { DEVELOPMENT_ADMIN } from '../identity/module.ts';
import type { Config } from '../platform/config.ts';
import { createDatabasePool } from '../platform/database/pool.ts';
import type { AppLogger } from '../platform/logger.ts';
import { SEED_ACCOUNTS, SEED_BATCHES, SEED_ORDER_LINES, SEED_OUT_OF_STOCK_LINE, SEED_ROLES } from './data-set.ts';

export type SeededAccount = {
  readonly email: string;
  /** Null for a configured administrator: their password is theirs, not ours to print. */
  readonly password: string | null;
  readonly role: string;
};

export type SeedReport = {
  readonly accounts: readonly SeededAccount[];
  /** What this run added (all zero when the data set was complete already). */
  readonly added: {
    readonly roles: number;
    readonly users: number;
    readonly batches: number;
    readonly orderLines: number;
  };
  readonly outOfStockAttempted: boolean;
};

export type SeedOptions = {
  /** The administrator to make sure of; `password` null when it was configured (KINGDOM_ADMIN_*) and so not printed. */
  readonly administrator: { readonly email: string; readonly password: string | null };
};

const idRow = z.object({ id: z.string() });

const userIdByEmail = async (pool: DatabasePool, email: string): Promise<string | null> =>
  pool.maybeOneFirst(sql.type(idRow)`SELECT id FROM users WHERE email = ${email}`);

/** Domain errors are told apart by name (`RoleExists`, `EmailTaken`, `OutOfStock`...). */
const isDomainError = (error: unknown, name: string): boolean => error instanceof DomainError && error.name === name;

const ensureRoles = async (app: Application): Promise<number> => {
  let added = 0;
  for (const role of SEED_ROLES) {
    if (await app.views.access.roleByName(role.name)) continue;
    try {
      await app.bus.execute({ type: 'CreateRole', name: role.name, policies: role.policies });
      added++;
    } catch (error) {
      if (!isDomainError(error, 'RoleExists')) throw error; // a concurrent seed made it first
    }
  }
  return added;
};

/** Signs each account up (unless its email exists) and grants its role; returns the ids by email and how many were new. */
const ensureAccounts = async (app: Application, pool: DatabasePool) => {
  const ids = new Map<string, string>();
  let added = 0;
  for (const account of SEED_ACCOUNTS) {
    let id = await userIdByEmail(pool, account.email);
    if (id === null) {
      try {
        ({ userId: id } = await app.bus.execute({
          type: 'SignUp',
          email: account.email,
          password: account.password,
          name: account.name,
        }));
        added++;
      } catch (error) {
        if (!isDomainError(error, 'EmailTaken')) throw error;
        id = await userIdByEmail(pool, account.email);
      }
    }
    if (id === null) throw new Error(`seed: no account for ${account.email} after signing it up`);
    await app.bus.execute({ type: 'GrantRole', userId: id, role: account.role });
    ids.set(account.email, id);
  }
  return { ids, added };
};

/** Adds the missing batches; returns how many, and the SKUs they belong to. */
const ensureBatches = async (app: Application, owners: ReadonlyMap<string, string>) => {
  const skus = new Set<string>();
  let added = 0;
  for (const batch of SEED_BATCHES) {
    if (await app.views.inventory.batchByReference(batch.reference)) continue;
    const { owner, ...fields } = batch;
    await app.bus.execute({
      type: 'AddBatch',
      ...fields,
      ownerId: owner === null ? null : (owners.get(owner) ?? null),
    });
    skus.add(batch.sku);
    added++;
  }
  return { skus, added };
};

const ensureOrderLines = async (app: Application): Promise<number> => {
  let added = 0;
  for (const line of SEED_ORDER_LINES) {
    const existing = await app.views.inventory.allocationsOfOrder(line.orderId);
    // Allocating a line that is allocated already changes nothing; asking first only keeps the count honest.
    if (!existing.some((allocation) => allocation.sku === line.sku)) added++;
    await app.bus.execute({ type: 'Allocate', ...line });
  }
  return added;
};

export const seed = async (app: Application, pool: DatabasePool, options: SeedOptions): Promise<SeedReport> => {
  const { administrator } = options;
  if (administrator.password !== null) {
    const { email, password } = administrator;
    await app.bus.execute({ type: 'EnsureAdministrator', email, password, name: 'Administrator' });
  }
  const roles = await ensureRoles(app);
  const { ids, added: users } = await ensureAccounts(app, pool);
  const batches = await ensureBatches(app, ids);
  const orderLines = await ensureOrderLines(app);
  // Only in the run that stocked the sofas: a second run must not mail the warehouse about it again.
  const outOfStockAttempted = batches.skus.has(SEED_OUT_OF_STOCK_LINE.sku);
  if (outOfStockAttempted) {
    try {
      await app.bus.execute({ type: 'Allocate', ...SEED_OUT_OF_STOCK_LINE });
      throw new Error(`seed: ${SEED_OUT_OF_STOCK_LINE.sku} was expected to be out of stock`);
    } catch (error) {
      if (!isDomainError(error, 'OutOfStock')) throw error;
    }
  }
  return {
    accounts: [
      { email: administrator.email, password: administrator.password, role: 'admin' },
      ...SEED_ACCOUNTS.map(({ email, password, role }) => ({ email, password, role })),
    ],
    added: { roles, users, batches: batches.added, orderLines },
    outOfStockAttempted,
  };
};

export const databaseHasProducts = async (pool: DatabasePool): Promise<boolean> =>
  pool.oneFirst(sql.type(z.object({ exists: z.boolean() }))`SELECT EXISTS (SELECT 1 FROM products) AS "exists"`);

/** The administrator the seed lists: the configured one (password not printed) or the development default. */
export const seedAdministrator = (config: Config): SeedOptions['administrator'] =>
  config.KINGDOM_ADMIN_EMAIL && config.KINGDOM_ADMIN_PASSWORD
    ? { email: config.KINGDOM_ADMIN_EMAIL, password: null }
    : DEVELOPMENT_ADMIN;

/** Seeds a database that has no products yet; null when it has some (it is left alone then). */
export const seedIfEmpty = async (
  app: Application,
  pool: DatabasePool,
  options: SeedOptions,
): Promise<SeedReport | null> => ((await databaseHasProducts(pool)) ? null : seed(app, pool, options));

/** The administrator and the development data set's accounts that this database holds, for the start-up banner. */
export const developmentAccountsIn = async (
  pool: DatabasePool,
  administrator: SeedOptions['administrator'],
): Promise<SeededAccount[]> => {
  const candidates = [
    { ...administrator, role: 'admin' },
    ...SEED_ACCOUNTS.map(({ email, password, role }) => ({ email, password, role })),
  ];
  const emails = candidates.map((account) => account.email);
  const present = new Set(
    await pool.anyFirst(sql.type(z.object({ email: z.string() }))`
      SELECT email FROM users WHERE email = ANY(${sql.array(emails, 'text')})`),
  );
  return candidates.filter((account) => present.has(account.email));
};

/**
 * `npm run db:seed`: the composition root every process uses (no HTTP server, no background worker), so the seed
 * goes through exactly the handlers, adapters and rules the server uses.
 */
export const runSeed = async (options: {
  readonly config: Config;
  readonly logger: AppLogger;
  readonly databaseUrl: string;
}): Promise<SeedReport> => {
  const { config, logger, databaseUrl } = options;
  const pool = await createDatabasePool(databaseUrl, {
    maxPoolSize: 2,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
  });
  const application = bootstrap({ logger, pool, config });
  try {
    // What the API does before serving: a configured administrator (KINGDOM_ADMIN_*) exists, as the report says.
    await application.startup();
    return await seed(application, pool, { administrator: seedAdministrator(config) });
  } finally {
    application.close();
    await pool.end();
  }
};

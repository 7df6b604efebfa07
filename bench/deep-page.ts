/**
 * Deep-page benchmark for the products connection (Relay pagination requirement): "with 1,000,000 products in real
 * Postgres, the median latency of a page taken after the 900,000th row is within 1.5x of the first page".
 *
 *   node bench/deep-page.ts                    # 1,000,000 products
 *   node bench/deep-page.ts --quick            # 100,000 products
 *   node bench/deep-page.ts --products 250000 --iterations 300 --batches
 *
 * What it does, all in this process and on loopback only:
 * 1. A throwaway embedded Postgres (temp dir, no fsync) on a free port, a fresh database, the committed migrations.
 * 2. N products in one INSERT ... SELECT over generate_series (SKU-00000001 ...; creation times at millisecond
 *    precision, scattered relative to the SKU order, about a fifth of them shared by two products so the sku
 *    tie-breaker matters), optionally 3 batches per product (--batches), then VACUUM (ANALYZE).
 * 3. The real API (startApp, NODE_ENV=production, silent logs) on 127.0.0.1.
 * 4. For each ordering (SKU ASC, CREATED_AT DESC): the key of the row at position 0.9*N is read with SQL and turned
 *    into a cursor with the server's own encodeCursor; the API is asked once to prove the cursor is the one it
 *    would have issued. Then, after a warm-up, `products(first: 20)` and `products(first: 20, after: <deep>)` are
 *    requested alternately (A/B/A/B, sequential, plain fetch), timing each request to its last body byte.
 *    Sampling stops early after --budget-seconds (default 100) per ordering, and the results say so: a page that
 *    regressed to a table scan must not turn the run into an hour.
 * 5. EXPLAIN (ANALYZE, BUFFERS) of the first- and deep-page SQL, built with the adapter's own builders
 *    (pageRequest + keysetPage + productColumns), to record whether an index scan served it.
 * 6. bench/results/<YYYY-MM-DD>-deep-page.json and a Markdown table on stdout. PASS/MISS is reported against
 *    "deep median <= 1.5 x first median"; the exit code is non-zero only for errors, never for a MISS.
 *
 * `totalCount` is not selected: it is a count(*) over the whole table, O(N) and identical for both pages, so it
 * would only hide the difference being measured.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { startApp, type RunningApp } from '../src/app.ts';
import { encodeCursor, pageRequest, type CursorKey } from '../src/core/pagination.ts';
import { productColumns } from '../src/inventory/adapters/rows.ts';
import { loadConfig } from '../src/platform/config.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/platform/database/embedded-postgres.ts';
import { keysetPage, type SortDirection } from '../src/platform/database/keyset.ts';
import { runMigrations } from '../src/platform/database/migrate.ts';
import { createDatabasePool } from '../src/platform/database/pool.ts';
import { createLogger } from '../src/platform/logger.ts';
import { freePort } from '../tests/support/free-port.ts';

// ---------------------------------------------------------------------------------------------------------------
// Options

const TARGET_RATIO = 1.5;
const PAGE_SIZE = 20;
const DEPTH = 0.9;

const { values: options } = parseArgs({
  options: {
    products: { type: 'string' },
    quick: { type: 'boolean', default: false },
    batches: { type: 'boolean', default: false },
    iterations: { type: 'string', default: '500' },
    warmup: { type: 'string', default: '50' },
    'budget-seconds': { type: 'string', default: '100' },
    'timeout-seconds': { type: 'string', default: '900' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});

if (options.help) {
  console.log(
    'usage: node bench/deep-page.ts [--products N | --quick] [--batches] [--iterations 500] [--warmup 50] ' +
      '[--budget-seconds 100] [--timeout-seconds 900]',
  );
  process.exit(0);
}

const wholeNumber = (name: string, raw: string, min: number, max: number): number => {
  const value = Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`--${name} must be a whole number from ${min} to ${max}, not ${raw}`);
  }
  return value;
};

const PRODUCTS = wholeNumber('products', options.products ?? (options.quick ? '100000' : '1000000'), 100, 50_000_000);
const ITERATIONS = wholeNumber('iterations', options.iterations, 1, 100_000);
const WARMUP = wholeNumber('warmup', options.warmup, 0, 100_000);
/** Per ordering: sampling stops early (and says so) when a slow page would otherwise run for many minutes. */
const BUDGET_MS = wholeNumber('budget-seconds', options['budget-seconds'], 1, 86_400) * 1000;
const TIMEOUT_MS = wholeNumber('timeout-seconds', options['timeout-seconds'], 10, 86_400) * 1000;
const WITH_BATCHES = options.batches;

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

const startedAt = performance.now();
const elapsed = (): string => `${((performance.now() - startedAt) / 1000).toFixed(1).padStart(6)}s`;
const progress = (message: string): void => void process.stderr.write(`[${elapsed()}] ${message}\n`);
const round = (value: number, digits = 3): number => Number(value.toFixed(digits));

/** The port may be taken between the probe and Postgres binding it: try again with another one. */
const startPostgres = async (attempts = 3): Promise<EmbeddedPostgres> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startEmbeddedPostgres({ port: await freePort(), persistent: false });
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
};

type Stats = {
  readonly count: number;
  readonly medianMs: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly minMs: number;
  readonly maxMs: number;
};

/** Nearest-rank percentile over sorted samples; the median averages the middle two of an even count. */
const statistics = (samples: readonly number[]): Stats => {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  const middle = sorted.length / 2;
  const median =
    sorted.length % 2 === 0 ? (sorted[middle - 1]! + sorted[middle]!) / 2 : sorted[Math.floor(middle)]!;
  return {
    count: sorted.length,
    medianMs: round(median),
    p90Ms: round(rank(0.9)),
    p99Ms: round(rank(0.99)),
    meanMs: round(sorted.reduce((sum, value) => sum + value, 0) / sorted.length),
    minMs: round(sorted[0]!),
    maxMs: round(sorted.at(-1)!),
  };
};

// ---------------------------------------------------------------------------------------------------------------
// Lifecycle: everything started is stopped, in reverse order, on success, error, signal or timeout.

const cleanups: Array<{ readonly what: string; readonly run: () => Promise<void> }> = [];
let cleaning: Promise<void> | undefined;
const cleanUp = (): Promise<void> => {
  cleaning ??= (async () => {
    for (const { what, run } of cleanups.reverse()) {
      try {
        await run();
      } catch (error) {
        progress(`cleanup: stopping ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  })();
  return cleaning;
};

let aborting = false;
const abort = (why: string, code: number): void => {
  aborting = true;
  progress(`${why}: stopping the server and Postgres`);
  void cleanUp().finally(() => process.exit(code));
};
process.once('SIGINT', () => abort('SIGINT', 130));
process.once('SIGTERM', () => abort('SIGTERM', 143));
const watchdog = setTimeout(() => abort(`timed out after ${TIMEOUT_MS / 1000} s`, 1), TIMEOUT_MS);
watchdog.unref();

// ---------------------------------------------------------------------------------------------------------------
// Data set

/** Every product SKU-00000001 ... ; see the module comment for the creation times. */
type SeedTimes = { productsMs: number; batchesMs: number | null; vacuumAnalyzeMs: number };

const seed = async (pool: DatabasePool): Promise<SeedTimes> => {
  // i * 7919 mod m is a bijection on each run of m consecutive i (7919 is prime and does not divide m unless m is a
  // multiple of it), so the first m products get distinct times and the remaining N - m share one with an earlier
  // product. The factor 1237 ms spreads them over roughly 11.5 days per 800,000 products, out of SKU order.
  const distinctTimes = Math.max(1, Math.floor(PRODUCTS * 0.8));
  let started = performance.now();
  await pool.query(sql.unsafe`
    INSERT INTO products (sku, description, version, created_at)
    SELECT 'SKU-' || lpad(i::text, 8, '0'),
           'Benchmark product number ' || i || ', a plain description of typical length',
           (i % 7)::int,
           timestamptz '2024-01-01 00:00:00+00'
             + ((i::bigint * 7919) % ${distinctTimes}::bigint) * interval '1237 milliseconds'
    FROM generate_series(1, ${PRODUCTS}::int) AS i`);
  const productsMs = performance.now() - started;
  progress(`seeded ${PRODUCTS.toLocaleString('en-US')} products in ${(productsMs / 1000).toFixed(1)} s`);

  let batchesMs: number | null = null;
  if (WITH_BATCHES) {
    started = performance.now();
    await pool.query(sql.unsafe`
      INSERT INTO batches (reference, sku, purchased_quantity, eta, created_at)
      SELECT 'BATCH-' || lpad(i::text, 8, '0') || '-' || j,
             'SKU-' || lpad(i::text, 8, '0'),
             1 + ((i * 31 + j * 17) % 500),
             CASE WHEN j = 1 THEN NULL ELSE date '2025-01-01' + ((i + j * 7) % 90) END,
             timestamptz '2024-01-01 00:00:00+00' + (i::bigint * 3 + j) * interval '1 second'
      FROM generate_series(1, ${PRODUCTS}::int) AS i, generate_series(1, 3) AS j`);
    batchesMs = performance.now() - started;
    progress(`seeded ${(PRODUCTS * 3).toLocaleString('en-US')} batches in ${(batchesMs / 1000).toFixed(1)} s`);
  }

  // VACUUM as well as ANALYZE: otherwise autovacuum, triggered by the million inserts, runs during the measurements.
  started = performance.now();
  await pool.query(sql.unsafe`VACUUM (ANALYZE)`);
  const vacuumAnalyzeMs = performance.now() - started;
  progress(`VACUUM (ANALYZE) in ${(vacuumAnalyzeMs / 1000).toFixed(1)} s`);
  return {
    productsMs: round(productsMs, 0),
    batchesMs: batchesMs === null ? null : round(batchesMs, 0),
    vacuumAnalyzeMs: round(vacuumAnalyzeMs, 0),
  };
};

// ---------------------------------------------------------------------------------------------------------------
// Orderings and cursors, exactly as src/inventory/adapters/slonik-inventory-views.ts builds them

type Ordering = {
  readonly label: string;
  readonly field: 'SKU' | 'CREATED_AT';
  readonly direction: SortDirection;
  readonly column: 'sku' | 'created_at';
};

const ORDERINGS: readonly Ordering[] = [
  { label: 'SKU ASC', field: 'SKU', direction: 'ASC', column: 'sku' },
  { label: 'CREATED_AT DESC', field: 'CREATED_AT', direction: 'DESC', column: 'created_at' },
];

const connectionName = (ordering: Ordering): string => `products:${ordering.field}:${ordering.direction}`;

type KeyRow = { readonly sku: string; readonly createdAt: Date };

const cursorKey = (ordering: Ordering, row: KeyRow): CursorKey => [
  ordering.field === 'SKU' ? row.sku : row.createdAt.toISOString(),
  row.sku,
];
const cursorOf = (ordering: Ordering, row: KeyRow): string =>
  encodeCursor(connectionName(ordering), cursorKey(ordering, row));

/** Rows at 1-based positions position-1, position and position+1 of the ordering (walked by SQL with OFFSET). */
const rowsAround = async (pool: DatabasePool, ordering: Ordering, position: number): Promise<KeyRow[]> => {
  const direction = ordering.direction === 'ASC' ? sql.fragment`ASC` : sql.fragment`DESC`;
  const rows = await pool.any(sql.type(z.object({ sku: z.string(), createdAt: z.date() }))`
    SELECT sku, created_at AS "createdAt" FROM products
    ORDER BY ${sql.identifier([ordering.column])} ${direction}, sku ${direction}
    OFFSET ${position - 2}::int LIMIT 3`);
  if (rows.length !== 3) throw new Error(`expected 3 rows around position ${position}, got ${rows.length}`);
  return [...rows];
};

// ---------------------------------------------------------------------------------------------------------------
// GraphQL over HTTP

const BATCHES_SELECTION = 'batches(first: 3) { edges { node { reference purchasedQuantity eta } } }';

const PRODUCTS_QUERY = `
  query Products($first: Int, $after: String, $orderBy: ProductOrder) {
    products(first: $first, after: $after, orderBy: $orderBy) {
      edges {
        cursor
        node {
          id
          sku
          description
          version
          createdAt
          ${WITH_BATCHES ? BATCHES_SELECTION : ''}
        }
      }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`;

type ProductsPage = {
  readonly edges: ReadonlyArray<{ readonly cursor: string; readonly node: { readonly sku: string } }>;
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
};

type Timed = { readonly ms: number; readonly page: ProductsPage };

const requestPage = async (url: string, body: string): Promise<Timed> => {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await response.text();
  const ms = performance.now() - started;
  const parsed = JSON.parse(text) as { data?: { products?: ProductsPage } | null; errors?: unknown[] };
  if (response.status !== 200 || parsed.errors?.length || !parsed.data?.products) {
    throw new Error(`products query failed (HTTP ${response.status}): ${text.slice(0, 500)}`);
  }
  return { ms, page: parsed.data.products };
};

const pageBody = (ordering: Ordering, first: number, after: string | null): string =>
  JSON.stringify({
    query: PRODUCTS_QUERY,
    variables: { first, after, orderBy: { field: ordering.field, direction: ordering.direction } },
  });

// ---------------------------------------------------------------------------------------------------------------
// EXPLAIN

type PlanNode = {
  readonly 'Node Type': string;
  readonly 'Index Name'?: string;
  readonly 'Relation Name'?: string;
  readonly 'Actual Rows'?: number;
  readonly 'Index Cond'?: string;
  readonly Filter?: string;
  readonly 'Rows Removed by Filter'?: number;
  readonly 'Actual Total Time'?: number;
  readonly 'Shared Hit Blocks'?: number;
  readonly 'Shared Read Blocks'?: number;
  readonly Plans?: readonly PlanNode[];
};

const flattenPlan = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(flattenPlan)];

const explain = async (pool: DatabasePool, ordering: Ordering, after: string | null) => {
  const request = pageRequest(connectionName(ordering), { first: PAGE_SIZE, after }, { defaultSize: 20, maxSize: 100 }, 2);
  const page = keysetPage({
    key: { column: sql.identifier([ordering.column]), direction: ordering.direction },
    tieBreaker: sql.identifier(['sku']),
    request,
  });
  const select = sql.fragment`
    SELECT ${productColumns} FROM products WHERE ${page.where} ORDER BY ${page.orderBy} LIMIT ${page.limit}`;
  const jsonPlan = z.object({ 'QUERY PLAN': z.unknown() });
  const textPlan = z.object({ 'QUERY PLAN': z.string() });
  const jsonRows = await pool.any(sql.type(jsonPlan)`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${select}`);
  const textRows = await pool.any(sql.type(textPlan)`EXPLAIN (ANALYZE, BUFFERS) ${select}`);
  const raw = jsonRows[0]?.['QUERY PLAN'];
  const document = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{
    Plan: PlanNode;
    'Planning Time': number;
    'Execution Time': number;
  }>;
  const top = document[0]!;
  const nodes = flattenPlan(top.Plan);
  const scans = nodes.filter((node) => /Scan/.test(node['Node Type']));
  return {
    sql: select.sql.replace(/\s+/g, ' ').trim(),
    values: select.values,
    /** Every scan is an index scan (forward or backward), not a sequential or bitmap scan. */
    usedIndexScan: scans.length > 0 && scans.every((node) => /^Index( Only)? Scan( Backward)?$/.test(node['Node Type'])),
    /**
     * The cursor bounds the index scan (an Index Cond) instead of being checked row by row (a Filter): only then does
     * a deep page start where the cursor is rather than walk the index from the start of the list.
     */
    cursorIsIndexCondition: after === null ? null : scans.some((node) => node['Index Cond'] !== undefined),
    rowsRemovedByFilter: scans.reduce((sum, node) => sum + (node['Rows Removed by Filter'] ?? 0), 0),
    scans: scans.map((node) => ({
      nodeType: node['Node Type'],
      indexName: node['Index Name'] ?? null,
      relation: node['Relation Name'] ?? null,
      indexCond: node['Index Cond'] ?? null,
      filter: node.Filter ?? null,
      rowsRemovedByFilter: node['Rows Removed by Filter'] ?? 0,
      actualRows: node['Actual Rows'] ?? null,
    })),
    sharedHitBlocks: top.Plan['Shared Hit Blocks'] ?? 0,
    sharedReadBlocks: top.Plan['Shared Read Blocks'] ?? 0,
    planningTimeMs: top['Planning Time'],
    executionTimeMs: top['Execution Time'],
    plan: textRows.map((row) => row['QUERY PLAN']),
  };
};

/** E.g. "index scan on products_pkey, cursor as Index Cond" or "... cursor as Filter, 900,000 rows removed". */
const describePlan = (result: Awaited<ReturnType<typeof explain>>): string => {
  const scans = result.scans.map((scan) => `${scan.nodeType} on ${scan.indexName ?? scan.relation}`).join(', ');
  if (result.cursorIsIndexCondition === null) return scans;
  return result.cursorIsIndexCondition
    ? `${scans}, cursor as Index Cond`
    : `${scans}, cursor as Filter (${result.rowsRemovedByFilter.toLocaleString('en-US')} rows removed)`;
};

// ---------------------------------------------------------------------------------------------------------------
// Measurement per ordering

const measure = async (app: RunningApp, pool: DatabasePool, ordering: Ordering) => {
  const deepAfterRow = Math.floor(PRODUCTS * DEPTH);
  const [before, atDepth, firstDeep] = await rowsAround(pool, ordering, deepAfterRow);
  const deepCursor = cursorOf(ordering, atDepth!);

  // The cursor we built must be the one the server issues for that row: ask for the one page that ends there.
  const probe = await requestPage(app.url, pageBody(ordering, 1, cursorOf(ordering, before!)));
  if (probe.page.edges[0]?.node.sku !== atDepth!.sku || probe.page.edges[0]?.cursor !== deepCursor) {
    throw new Error(
      `${ordering.label}: the server's cursor for row ${deepAfterRow} differs from ours ` +
        `(${JSON.stringify(probe.page.edges[0])} vs ${atDepth!.sku} ${deepCursor})`,
    );
  }

  const firstBody = pageBody(ordering, PAGE_SIZE, null);
  const deepBody = pageBody(ordering, PAGE_SIZE, deepCursor);
  const check = (timed: Timed, which: 'first' | 'deep'): void => {
    const edges = timed.page.edges;
    if (edges.length !== PAGE_SIZE || !timed.page.pageInfo.hasNextPage) {
      const hasNextPage = timed.page.pageInfo.hasNextPage;
      throw new Error(`${ordering.label} ${which} page: ${edges.length} edges, hasNextPage ${hasNextPage}`);
    }
    if (which === 'deep' && edges[0]!.node.sku !== firstDeep!.sku) {
      throw new Error(`${ordering.label}: deep page starts at ${edges[0]!.node.sku}, expected ${firstDeep!.sku}`);
    }
  };

  const warmupStarted = performance.now();
  let warmupDone = 0;
  for (let index = 0; index < WARMUP && performance.now() - warmupStarted < BUDGET_MS / 4; index++, warmupDone++) {
    const which = index % 2 === 0 ? 'first' : 'deep';
    check(await requestPage(app.url, which === 'first' ? firstBody : deepBody), which);
  }

  const first: number[] = [];
  const deep: number[] = [];
  const sampleStarted = performance.now();
  let stoppedByTimeBudget = false;
  for (let index = 0; index < ITERATIONS; index++) {
    if (performance.now() - sampleStarted > BUDGET_MS) {
      stoppedByTimeBudget = true;
      break;
    }
    const a = await requestPage(app.url, firstBody);
    const b = await requestPage(app.url, deepBody);
    check(a, 'first');
    check(b, 'deep');
    first.push(a.ms);
    deep.push(b.ms);
  }

  const firstStats = statistics(first);
  const deepStats = statistics(deep);
  const ratio = round(deepStats.medianMs / firstStats.medianMs);
  if (stoppedByTimeBudget) {
    progress(`${ordering.label}: time budget of ${BUDGET_MS / 1000} s reached after ${first.length} of ${ITERATIONS} pairs`);
  }
  const explainFirst = await explain(pool, ordering, null);
  const explainDeep = await explain(pool, ordering, deepCursor);
  progress(
    `${ordering.label}: first ${firstStats.medianMs} ms, deep ${deepStats.medianMs} ms (median), ratio ${ratio}, ` +
      `deep SQL: ${describePlan(explainDeep)}`,
  );
  return {
    ordering: ordering.label,
    orderBy: { field: ordering.field, direction: ordering.direction },
    deepAfterRow,
    deepCursor,
    deepCursorKey: cursorKey(ordering, atDepth!),
    deepPageFirstSku: firstDeep!.sku,
    warmupRequests: warmupDone,
    iterationsRequested: ITERATIONS,
    iterationsCompleted: first.length,
    stoppedByTimeBudget,
    firstPage: firstStats,
    deepPage: deepStats,
    ratioOfMedians: ratio,
    target: `deep median <= ${TARGET_RATIO} x first median`,
    verdict: ratio <= TARGET_RATIO ? ('PASS' as const) : ('MISS' as const),
    explain: { firstPage: explainFirst, deepPage: explainDeep },
    samplesMs: { first: first.map((ms) => round(ms)), deep: deep.map((ms) => round(ms)) },
  };
};

// ---------------------------------------------------------------------------------------------------------------
// Main

const main = async (): Promise<void> => {
  progress(
    `deep-page benchmark: ${PRODUCTS.toLocaleString('en-US')} products${WITH_BATCHES ? ' (+3 batches each)' : ''}, ` +
      `${ITERATIONS} iterations, warm-up ${WARMUP}`,
  );
  const postgres = await startPostgres();
  cleanups.push({ what: 'Postgres', run: () => postgres.stop() });
  const databaseUrl = await postgres.ensureDatabase('kingdom_bench');
  progress(`embedded Postgres on 127.0.0.1:${postgres.port}`);
  await runMigrations(databaseUrl);
  progress('migrated');

  const pool = await createDatabasePool(databaseUrl, { maxPoolSize: 2, statementTimeoutMs: 600_000 });
  cleanups.push({ what: 'the bench pool', run: () => pool.end() });
  const dataset = await seed(pool);

  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: 'kingdom-bench-deep-page-secret-0123456789abcdefg', // 48 characters
    SHUTDOWN_GRACE_MS: '2000',
  });
  const app = await startApp({ config, logger: createLogger(config), databaseUrl });
  cleanups.push({ what: 'the API', run: () => app.stop() });
  progress(`API at ${app.url}`);

  const results = [];
  for (const ordering of ORDERINGS) results.push(await measure(app, pool, ordering));

  const serverVersion = await pool.oneFirst(sql.type(z.object({ server_version: z.string() }))`SHOW server_version`);
  const versionString = await pool.oneFirst(sql.type(z.object({ version: z.string() }))`SELECT version()`);
  const settings = Object.fromEntries(
    (
      await pool.any(sql.type(z.object({ name: z.string(), setting: z.string(), unit: z.string().nullable() }))`
        SELECT name, setting, unit FROM pg_settings
        WHERE name IN ('shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'fsync',
                       'synchronous_commit', 'jit')`)
    ).map((row) => [row.name, row.unit ? `${row.setting} ${row.unit}` : row.setting]),
  );
  const sizes = Object.fromEntries(
    (
      await pool.any(sql.type(z.object({ name: z.string(), bytes: z.number() }))`
        SELECT c.relname AS name, pg_relation_size(c.oid) AS bytes FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relname IN ('products', 'products_pkey', 'products_created_at_sku_idx',
                                                     'batches', 'batches_pkey', 'batches_sku_idx')`)
    ).map((row) => [row.name, row.bytes]),
  );

  const verdict = results.every((result) => result.verdict === 'PASS') ? 'PASS' : 'MISS';
  const date = new Date();
  const cpus = os.cpus();
  const report = {
    benchmark: 'deep-page',
    requirement:
      'With 1,000,000 products in real Postgres, the median latency of a page taken after the 900,000th row is ' +
      'within 1.5x of the first page.',
    date: date.toISOString(),
    verdict,
    machine: {
      os: `${os.type()} ${os.release()}`,
      platform: process.platform,
      arch: process.arch,
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
      totalMemoryMiB: Math.round(os.totalmem() / 1024 / 1024),
      node: process.version,
    },
    postgres: { version: serverVersion, versionString, embedded: true, settings },
    dataset: {
      products: PRODUCTS,
      batches: WITH_BATCHES ? PRODUCTS * 3 : 0,
      distinctCreatedAt: Math.max(1, Math.floor(PRODUCTS * 0.8)),
      relationBytes: sizes,
      seedMs: dataset,
    },
    method: {
      transport: 'HTTP/1.1 POST on 127.0.0.1, Node fetch (keep-alive), sequential, one request in flight',
      server: 'startApp in the same process, NODE_ENV=production, LOG_LEVEL=silent',
      pageSize: PAGE_SIZE,
      selection: WITH_BATCHES
        ? 'edges { cursor node { id sku description version createdAt batches(first: 3) } } pageInfo'
        : 'edges { cursor node { id sku description version createdAt } } pageInfo (no totalCount)',
      deepPage: `first: ${PAGE_SIZE}, after: cursor of row ${Math.floor(PRODUCTS * DEPTH)} (${DEPTH * 100}% of the table)`,
      warmupRequests: WARMUP,
      iterationsPerPage: ITERATIONS,
      timeBudgetPerOrderingSeconds: BUDGET_MS / 1000,
      order: 'alternating first/deep (A/B/A/B)',
      timing: 'performance.now() from fetch() to the last byte of the response body',
      statistics: 'nearest-rank p90/p99; median averages the two middle samples',
    },
    results,
    durationMs: Math.round(performance.now() - startedAt),
  };

  const directory = path.join(import.meta.dirname, 'results');
  await mkdir(directory, { recursive: true });
  const file = path.join(directory, `${date.toISOString().slice(0, 10)}-deep-page.json`);
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);

  const requestCounts = results.map((result) => `${result.ordering}: ${result.iterationsCompleted}`).join(', ');
  const lines = [
    `Deep page vs first page: ${PRODUCTS.toLocaleString('en-US')} products, Postgres ${serverVersion}, Node ` +
      `${process.version}, ${cpus.length} CPUs; requests per page: ${requestCounts}`,
    '',
    '| ordering | page | median ms | p90 ms | p99 ms | deep/first median | plan of the deep-page SQL | verdict |',
    '|---|---|---:|---:|---:|---:|---|---|',
  ];
  for (const result of results) {
    const f = result.firstPage;
    const d = result.deepPage;
    lines.push(`| ${result.ordering} | first | ${f.medianMs} | ${f.p90Ms} | ${f.p99Ms} | | | |`);
    lines.push(
      `| ${result.ordering} | after row ${result.deepAfterRow.toLocaleString('en-US')} | ${d.medianMs} | ${d.p90Ms} | ` +
        `${d.p99Ms} | ${result.ratioOfMedians} | ${describePlan(result.explain.deepPage)} | ${result.verdict} |`,
    );
  }
  lines.push('', `Overall: ${verdict} (target: deep median <= ${TARGET_RATIO} x first median)`);
  lines.push(`Results: ${path.relative(process.cwd(), file)}`);
  console.log(lines.join('\n'));
};

try {
  await main();
} catch (error) {
  process.exitCode = 1;
  // After a signal or the watchdog, in-flight work fails as its server goes away: that is not news.
  if (!aborting) progress(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
} finally {
  await cleanUp();
  clearTimeout(watchdog);
  progress(`done in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
}

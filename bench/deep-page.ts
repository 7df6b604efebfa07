/**
 * Deep-page benchmark for the products connection (Relay pagination requirement): "with 1,000,000 products in real
 * Postgres, the median latency of a page taken after the 900,000th row is within 1.5x of the first page".
 *
 *   npm run bench:deep-page                                # 1,000,000 products
 *   npm run bench:deep-page -- --quick                     # 100,000 products
 *   npm run bench:deep-page -- --products 250000 --iterations 300 --batches
 *
 * What it does, all in this process and on loopback only (the helpers are shared with bench/run.ts, bench/support):
 * 1. A throwaway embedded Postgres (temp dir, no fsync) on a free port, a fresh database, the committed migrations.
 * 2. N products in one INSERT ... SELECT over generate_series (SKU-00000001 ...; creation times at millisecond
 *    precision, scattered relative to the SKU order, about a fifth of them shared by two products so the sku
 *    tie-breaker matters), optionally 3 batches per product (--batches), then VACUUM (ANALYZE): support/dataset.ts.
 * 3. The real API (startApp, NODE_ENV=production, silent logs) on 127.0.0.1, with an administrator
 *    (KINGDOM_ADMIN_EMAIL/PASSWORD) signed in through the logIn mutation: products are guarded by @auth.
 * 4. For each ordering (SKU ASC, CREATED_AT DESC): the key of the row at position 0.9*N is read with SQL and turned
 *    into a cursor with the server's own encodeCursor; the API is asked once to prove the cursor is the one it
 *    would have issued. Then, after a warm-up, `products(first: 20)` and `products(first: 20, after: <deep>)` are
 *    requested alternately (A/B/A/B, sequential, plain fetch), timing each request to its last body byte.
 *    Sampling stops early after --budget-seconds (default 100) per ordering, and the results say so: a page that
 *    regressed to a table scan must not turn the run into an hour.
 * 5. EXPLAIN (ANALYZE, BUFFERS) of the first- and deep-page SQL, built with the adapter's own builders
 *    (pageRequest + keysetPage + productColumns), to record whether an index scan served it.
 * 6. A Markdown table on stdout and in bench/results/<YYYY-MM-DD>-deep-page.md, the full JSON in bench/results/json/
 *    (git-ignored). PASS/MISS is reported against "deep median <= 1.5 x first median"; the exit code is non-zero
 *    only for errors, never for a MISS.
 *
 * `totalCount` is not selected: it is a count(*) over the whole table, O(N) and identical for both pages, so it
 * would only hide the difference being measured.
 */
import { parseArgs } from 'node:util';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { startApp } from '../src/app.ts';
import { pageRequest } from '../src/core/pagination.ts';
import { productColumns } from '../src/inventory/adapters/rows.ts';
import { loadConfig } from '../src/platform/config.ts';
import { keysetPage } from '../src/platform/database/keyset.ts';
import { createDatabasePool } from '../src/platform/database/pool.ts';
import { createLogger } from '../src/platform/logger.ts';
import { DEEP_PAGE_TARGET_RATIO, describePlan, renderDeepPageMarkdown } from './report/deep-page.ts';
import { progress, round, secondsSinceStart, wholeNumber } from './support/cli.ts';
import {
  connectionName,
  CREATED_AT_DESC,
  cursorKey,
  cursorOf as innerCursorOf,
  distinctCreatedAt,
  rowsAround,
  seedDataset,
  SKU_ASC,
  type Ordering,
} from './support/dataset.ts';
import { migrateWorkingTree } from './support/migrations.ts';
import { productsCursorSigner } from './support/signed-cursors.ts';
import { jsonHeaders, logIn } from './support/graphql-client.ts';
import { createLifecycle, runToTheEnd } from './support/lifecycle.ts';
import { machineInfo } from './support/machine.ts';
import { postgresInfo, relationSizes, startBenchPostgres } from './support/postgres.ts';
import { DEFAULT_RESULTS_DIR, shownPath, writeResults } from './support/results.ts';
import { statistics } from './support/stats.ts';

// ---------------------------------------------------------------------------------------------------------------
// Options

const TARGET_RATIO = DEEP_PAGE_TARGET_RATIO;
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
    'usage: npm run bench:deep-page -- [--products N | --quick] [--batches] [--iterations 500] [--warmup 50] ' +
      '[--budget-seconds 100] [--timeout-seconds 900]',
  );
  process.exit(0);
}

const PRODUCTS = wholeNumber('products', options.products ?? (options.quick ? '100000' : '1000000'), 100, 50_000_000);
const ITERATIONS = wholeNumber('iterations', options.iterations, 1, 100_000);
const WARMUP = wholeNumber('warmup', options.warmup, 0, 100_000);
/** Per ordering: sampling stops early (and says so) when a slow page would otherwise run for many minutes. */
const BUDGET_MS = wholeNumber('budget-seconds', options['budget-seconds'], 1, 86_400) * 1000;
const TIMEOUT_MS = wholeNumber('timeout-seconds', options['timeout-seconds'], 10, 86_400) * 1000;
const WITH_BATCHES = options.batches;
/** Products are guarded by @auth: the benchmark signs in as this administrator (KINGDOM_ADMIN_EMAIL/PASSWORD). */
const ADMIN = { email: 'bench-admin@kingdom.local', password: 'kingdom-bench-deep-page-admin' } as const;
/** The server signs cursors with it; so does the benchmark, for the deep page's (support/signed-cursors.ts). */
const CURSOR_KEY = { keyId: 'bench', secret: 'kingdom-bench-deep-page-cursors-0123456789abcdef' } as const;

// Everything started is stopped, in reverse order, on success, error, signal or timeout.
const lifecycle = createLifecycle({ timeoutMs: TIMEOUT_MS });

const ORDERINGS: readonly Ordering[] = [SKU_ASC, CREATED_AT_DESC];

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

const requestPage = async (url: string, body: string, token: string): Promise<Timed> => {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: jsonHeaders(token), body });
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
  const request = pageRequest(connectionName(ordering), { first: PAGE_SIZE, after }, 2);
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
    usedIndexScan:
      scans.length > 0 && scans.every((node) => /^Index( Only)? Scan( Backward)?$/.test(node['Node Type'])),
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

// ---------------------------------------------------------------------------------------------------------------
// Measurement per ordering

const measure = async (url: string, token: string, pool: DatabasePool, ordering: Ordering) => {
  const cursorOf = productsCursorSigner(CURSOR_KEY, token);
  const deepAfterRow = Math.floor(PRODUCTS * DEPTH);
  const [before, atDepth, firstDeep] = await rowsAround(pool, ordering, deepAfterRow);
  const deepCursor = cursorOf(ordering, atDepth!);

  // The cursor we built must be the one the server issues for that row: ask for the one page that ends there.
  const probe = await requestPage(url, pageBody(ordering, 1, cursorOf(ordering, before!)), token);
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
    check(await requestPage(url, which === 'first' ? firstBody : deepBody, token), which);
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
    const a = await requestPage(url, firstBody, token);
    const b = await requestPage(url, deepBody, token);
    check(a, 'first');
    check(b, 'deep');
    first.push(a.ms);
    deep.push(b.ms);
  }

  const firstStats = statistics(first);
  const deepStats = statistics(deep);
  const ratio = round(deepStats.medianMs / firstStats.medianMs);
  if (stoppedByTimeBudget) {
    progress(
      `${ordering.label}: time budget of ${BUDGET_MS / 1000} s reached after ${first.length} of ${ITERATIONS} pairs`,
    );
  }
  const explainFirst = await explain(pool, ordering, null);
  // The adapter's own builders take the inner cursor: the signature is checked at the GraphQL boundary only.
  const explainDeep = await explain(pool, ordering, innerCursorOf(ordering, atDepth!));
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
  const postgres = await startBenchPostgres();
  lifecycle.defer('Postgres', () => postgres.stop());
  const databaseUrl = await postgres.ensureDatabase('kingdom_bench');
  progress(`embedded Postgres on 127.0.0.1:${postgres.port}`);
  await migrateWorkingTree(databaseUrl);
  progress('migrated');

  const pool = await createDatabasePool(databaseUrl, { maxPoolSize: 2, statementTimeoutMs: 600_000 });
  lifecycle.defer('the bench pool', () => pool.end());
  const dataset = await seedDataset(pool, { products: PRODUCTS, batches: WITH_BATCHES });

  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    PUBLIC_URL: 'http://127.0.0.1',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: 'kingdom-bench-deep-page-secret-0123456789abcdefg', // 48 characters
    CURSOR_SECRET: CURSOR_KEY.secret,
    CURSOR_KEY_ID: CURSOR_KEY.keyId,
    KINGDOM_ADMIN_EMAIL: ADMIN.email,
    KINGDOM_ADMIN_PASSWORD: ADMIN.password,
    SHUTDOWN_GRACE_MS: '2000',
  });
  const app = await startApp({ config, logger: createLogger(config), databaseUrl });
  lifecycle.defer('the API', () => app.stop());
  progress(`API at ${app.url}`);
  const token = await logIn(app.url, ADMIN.email, ADMIN.password);

  const results = [];
  for (const ordering of ORDERINGS) results.push(await measure(app.url, token, pool, ordering));

  const database = await postgresInfo(pool);
  const sizes = await relationSizes(pool, [
    'products',
    'products_pkey',
    'products_created_at_sku_idx',
    'batches',
    'batches_pkey',
    'batches_sku_idx',
  ]);

  const verdict: 'PASS' | 'MISS' = results.every((result) => result.verdict === 'PASS') ? 'PASS' : 'MISS';
  const date = new Date();
  const machine = machineInfo();
  const report = {
    benchmark: 'deep-page',
    requirement:
      'With 1,000,000 products in real Postgres, the median latency of a page taken after the 900,000th row is ' +
      'within 1.5x of the first page.',
    date: date.toISOString(),
    verdict,
    machine,
    postgres: database,
    dataset: {
      products: PRODUCTS,
      batches: WITH_BATCHES ? PRODUCTS * 3 : 0,
      distinctCreatedAt: distinctCreatedAt(PRODUCTS),
      relationBytes: sizes,
      seedMs: dataset,
    },
    method: {
      transport: 'HTTP/1.1 POST on 127.0.0.1, Node fetch (keep-alive), sequential, one request in flight',
      server: 'startApp in the same process, NODE_ENV=production, LOG_LEVEL=silent, signed in as an administrator',
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
    durationMs: Math.round(secondsSinceStart() * 1000),
  };

  const markdown = renderDeepPageMarkdown(report);
  const files = await writeResults(
    DEFAULT_RESULTS_DIR,
    `${date.toISOString().slice(0, 10)}-deep-page`,
    report,
    `${markdown}\n`,
  );
  console.log(`${markdown}\nResults: ${shownPath(files.markdown)} and ${shownPath(files.json)}`);
};

await runToTheEnd(lifecycle, main);

/**
 * What `npm run bench` sends: the GraphQL documents, and the scenarios (one document, one server, a number of
 * connections) grouped so that the servers compared in a group are measured in alternating rounds.
 */
import type { GroupName, ServerName } from './report/types.ts';
import type { RunOptions } from './runner/options.ts';
import { graphqlBody } from './support/graphql-client.ts';
import type { LoadBody } from './support/load-protocol.ts';

/** The product every contended allocation goes to, with stock for any run. */
export const HOT = { sku: 'SKU-HOT', batchReference: 'BATCH-HOT', quantity: 10_000_000 } as const;

/**
 * Two products that differ only in how many order lines were allocated from them before the run: the cost of one
 * allocate must not grow with a product's history.
 */
export const HISTORY = [
  { sku: 'SKU-HISTORY-100', batchReference: 'BATCH-HISTORY-100', lines: 100 },
  { sku: 'SKU-HISTORY-100000', batchReference: 'BATCH-HISTORY-100000', lines: 100_000 },
] as const;

/** Who sends a scenario's requests: the administrator (reads everything), the scoped reader, or nobody. */
export type Caller = 'admin' | 'reader' | null;
export type Tokens = { readonly admin: string; readonly reader: string };
export const tokenOf = (caller: Caller, tokens: Tokens): string | null => (caller === null ? null : tokens[caller]);

/** The login role each server connects as (pg_stat_statements counts per role); null: no database. */
export const ROLES: Readonly<Record<ServerName, string | null>> = {
  kingdom: 'kingdom_server',
  baseline: 'kingdom_baseline',
  enforce: 'kingdom_enforce',
  raw: null,
  postgraphile: 'kingdom_postgraphile',
  apollo: null,
  graphqljs: null,
};

// Kingdom's and PostGraphile's nested pages select the same data (PostGraphile orders batches by its primary key,
// Kingdom in allocation order: the same rows per product, possibly in another order).
const KINGDOM_PAGE = `pageInfo { hasNextPage endCursor }
    edges { cursor node { id sku description version createdAt
      batches(first: 20) { edges { cursor node { id reference purchasedQuantity eta createdAt } } } } }`;
// Every operation is named: the trusted documents manifest of the enforce arm lists operations by name.
export const QUERIES = {
  typename: 'query Typename { __typename }',
  viewer: 'query Viewer { viewer { id email name createdAt } }',
  nested: `query Nested { products(first: 20) { ${KINGDOM_PAGE} } }`,
  deep: `query Deep($after: String!) { products(first: 20, after: $after) { ${KINGDOM_PAGE} } }`,
  postgraphileNested: `query Nested { allProducts(first: 20, orderBy: PRIMARY_KEY_ASC) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id sku description version createdAt
      batchesBySku(first: 20, orderBy: PRIMARY_KEY_ASC) { edges { cursor node { id reference purchasedQuantity eta createdAt } } } } } } }`,
  allocate: 'mutation Allocate($input: AllocateInput!) { allocate(input: $input) { batchReference } }',
} as const;

export type Scenario = {
  readonly key: string;
  readonly group: GroupName;
  readonly title: string;
  readonly server: ServerName;
  readonly kind: 'read' | 'write';
  readonly connections: number;
  readonly body: LoadBody;
  readonly caller: Caller;
  /** How one request of the calibration is made (allocations need fresh order ids). */
  readonly calibrationBody: (index: number) => string;
};

/** Every scenario, for every server; `selectScenarios` keeps those this run measures. */
export const scenarioCatalogue = (
  options: RunOptions,
  deep: { readonly position: number; readonly body: string },
  run: string,
): Scenario[] => {
  const allocateBody = (skus: { fixed: string } | { count: number }, prefix: string, seed: number): LoadBody => ({
    kind: 'allocate',
    query: QUERIES.allocate,
    skus,
    orderPrefix: `${run}-${prefix}`,
    quantity: 1,
    seed,
  });
  let calibrationOrders = 0;
  const calibrationAllocate = (skuFor: (index: number) => string, prefix: string) => (index: number) =>
    graphqlBody(QUERIES.allocate, {
      input: { orderId: `${run}-${prefix}-${++calibrationOrders}`, sku: skuFor(index), quantity: 1 },
    });
  const spreadSku = (index: number) => `SKU-${String(1 + ((index * 7919) % options.products)).padStart(8, '0')}`;
  const read = (
    key: string,
    group: GroupName,
    title: string,
    server: ServerName,
    text: string,
    { caller = null as Caller, connections = options.connections } = {},
  ): Scenario => ({
    key,
    group,
    title,
    server,
    kind: 'read',
    connections,
    caller,
    body: { kind: 'fixed', text },
    calibrationBody: () => text,
  });
  const write = (
    key: string,
    group: GroupName,
    title: string,
    body: LoadBody,
    calibrationBody: Scenario['calibrationBody'],
    connections = options.connections,
  ): Scenario => ({
    key,
    group,
    title,
    server: 'kingdom',
    kind: 'write',
    connections,
    caller: 'admin',
    body,
    calibrationBody,
  });
  const typename = graphqlBody(QUERIES.typename);
  const nested = graphqlBody(QUERIES.nested);
  const postgraphileNested = graphqlBody(QUERIES.postgraphileNested);
  const deepTitle = `products(first: 20, after: row ${deep.position.toLocaleString('en-US')}) with batches`;
  const nestedTitle = 'products(first: 20) with batches';
  const postgraphileTitle = 'allProducts(first: 20) with batchesBySku';
  const enforced = ', TRUSTED_DOCUMENTS=enforce';
  // Kingdom's pages are read by a caller whose reads are scoped (OWNER selectors), PostGraphile's anonymously.
  const reader = { caller: 'reader' as const };
  const atMemoryConnections = { connections: options.memoryConnections };
  const products = options.products.toLocaleString('en-US');
  const history = HISTORY.map(({ sku, lines }, index) =>
    write(
      `allocate-history-${lines}`,
      'history',
      `allocate, 1 unit, on ${sku} (${lines.toLocaleString('en-US')} earlier lines), one client`,
      allocateBody({ fixed: sku }, `history-${lines}`, 3 + index),
      calibrationAllocate(() => sku, `cal-history-${lines}`),
      1,
    ),
  );

  return [
    read('typename', 'typename', '{ __typename }', 'kingdom', typename),
    read('typename-enforce', 'typename', `{ __typename }${enforced}`, 'enforce', typename),
    read('typename-raw', 'typename', '{ __typename }', 'raw', typename),
    read('typename-apollo', 'typename', '{ __typename }', 'apollo', typename),
    read('typename-graphqljs', 'typename', '{ __typename }', 'graphqljs', typename),
    read('typename-postgraphile', 'typename', '{ __typename }', 'postgraphile', typename),
    read('viewer', 'viewer', 'viewer (Bearer token)', 'kingdom', graphqlBody(QUERIES.viewer), { caller: 'admin' }),
    read('nested', 'nested', nestedTitle, 'kingdom', nested, reader),
    read('nested-enforce', 'nested', `${nestedTitle}${enforced}`, 'enforce', nested, reader),
    read('nested-postgraphile', 'nested', postgraphileTitle, 'postgraphile', postgraphileNested),
    read('deep', 'nested', deepTitle, 'kingdom', deep.body, reader),
    read('nested-100', 'memory', nestedTitle, 'kingdom', nested, { ...reader, ...atMemoryConnections }),
    read(
      'nested-100-postgraphile',
      'memory',
      postgraphileTitle,
      'postgraphile',
      postgraphileNested,
      atMemoryConnections,
    ),
    write(
      'allocate-spread',
      'allocate',
      `allocate, 1 unit, random SKU of ${products}`,
      allocateBody({ count: options.products }, 'spread', 1),
      calibrationAllocate(spreadSku, 'cal-spread'),
    ),
    write(
      'allocate-contended',
      'allocate',
      `allocate, 1 unit, all on ${HOT.sku}`,
      allocateBody({ fixed: HOT.sku }, 'hot', 2),
      calibrationAllocate(() => HOT.sku, 'cal-hot'),
    ),
    ...history,
  ];
};

/**
 * The scenarios of the groups asked for (--only), on the servers that were started. With --baseline-dist every
 * Kingdom scenario also runs on the earlier build, right after this one in each round; a profile run measures
 * Kingdom builds only.
 */
export const selectScenarios = (
  catalogue: readonly Scenario[],
  options: RunOptions,
  started: (server: ServerName) => boolean,
): Scenario[] => {
  const withBaseline = started('baseline')
    ? catalogue.flatMap((scenario) =>
        scenario.server === 'kingdom'
          ? [scenario, { ...scenario, key: `${scenario.key}@baseline`, server: 'baseline' as const }]
          : [scenario],
      )
    : catalogue;
  const profiled = (server: ServerName) => server === 'kingdom' || server === 'baseline';
  return withBaseline.filter(
    (scenario) =>
      options.only.has(scenario.group) && started(scenario.server) && (!options.profile || profiled(scenario.server)),
  );
};

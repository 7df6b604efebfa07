/**
 * The example operations of examples/ run as a newcomer runs them in Apollo Sandbox: in order, against a real
 * server on real Postgres, with their own variables files, the administrator's token from 01-log-in in the
 * Authorization header. Each answer must carry no error and the data the example promises in its header.
 *
 * A new example needs an entry in EXAMPLES below (the first test fails otherwise), and a variables file naming
 * exactly the variables its operation declares.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { sql } from 'slonik';
import { z } from 'zod';
import { startTestServer, type GraphQLResponse, type TestServer } from './support/server.ts';

const EXAMPLES_DIR = join(import.meta.dirname, '..', '..', 'examples');
const files = readdirSync(EXAMPLES_DIR);
const exampleNames = files
  .filter((file) => file.endsWith('.graphql'))
  .map((file) => file.replace(/\.graphql$/, ''))
  .sort();

const document = (name: string): string => readFileSync(join(EXAMPLES_DIR, `${name}.graphql`), 'utf8');
const variablesFileOf = (name: string): string | undefined =>
  files.includes(`${name}.variables.json`) ? `${name}.variables.json` : undefined;
const variablesOf = (name: string): Record<string, unknown> => {
  const file = variablesFileOf(name);
  return file ? (JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as Record<string, unknown>) : {};
};

type Data = Record<string, unknown>;
type Caller = 'anonymous' | 'admin';

type Context = {
  /** The data of every example run so far, by example name. */
  readonly answers: ReadonlyMap<string, Data>;
  /** Runs the same example again with other variables (a newcomer editing the Variables panel). */
  again(variables: Record<string, unknown>, headers?: Record<string, string>): Promise<Data>;
  readonly server: TestServer;
};

type Example = {
  /** Who runs it: the administrator signed in by 01-log-in, or nobody (no Authorization header). */
  readonly as: Caller;
  /** Something the server must hold first that the examples cannot create themselves. */
  readonly prepare?: (context: Context) => Promise<void>;
  /** Variables the example cannot know in advance (they replace the placeholders of its variables file). */
  readonly variables?: (context: Context) => Record<string, unknown>;
  readonly expect: (data: Data, context: Context) => void | Promise<void>;
};

// The examples are sent as written (the text a newcomer pastes into Sandbox), not as typed documents: the fields a
// check reads from an answer are parsed by shape (zod) rather than cast.
const LOGGED_IN = z.object({ logIn: z.object({ accessToken: z.string() }) });
const ADDED = z.object({
  addBatch: z.object({ product: z.object({ id: z.string() }), batch: z.object({ id: z.string() }) }),
});
const SIGNED_UP = z.object({ signUp: z.object({ user: z.object({ id: z.string() }) }) });
const PAGE = z.object({
  products: z.object({
    totalCount: z.number(),
    pageInfo: z.object({
      hasNextPage: z.boolean(),
      hasPreviousPage: z.boolean(),
      startCursor: z.string().nullable(),
      endCursor: z.string().nullable(),
    }),
    edges: z.array(z.object({ cursor: z.string(), node: z.looseObject({ sku: z.string() }) })),
  }),
});
type Page = z.infer<typeof PAGE>['products'];
const USERS = z.object({
  users: z.object({
    totalCount: z.number(),
    edges: z.array(z.object({ node: z.object({ email: z.string(), roles: z.array(z.object({ name: z.string() })) }) })),
  }),
});
const ROLES = z.object({
  roles: z.object({
    totalCount: z.number(),
    edges: z.array(z.object({ node: z.object({ name: z.string(), builtIn: z.boolean(), policies: z.unknown() }) })),
  }),
});

/** What an earlier example answered, read by `shape`. */
const answer = <T>(context: Context, name: string, shape: z.ZodType<T>): T => {
  const data = context.answers.get(name);
  if (!data) throw new Error(`${name} has not run (or failed): the examples build on each other`);
  return shape.parse(data);
};

const skus = (page: Page): string[] => page.edges.map((edge) => edge.node.sku);

const login = variablesOf('01-log-in') as { email: string; password: string };
const clerk = (variablesOf('09-sign-up') as { input: { email: string; password: string } }).input;
const role = (variablesOf('10-create-role') as { input: { name: string; policies: unknown[] } }).input;

/** Other products, so that 06-products-page has pages (npm start seeds sample products likewise). */
const OTHER_PRODUCTS = ['ASH-CHAIR', 'BIRCH-SHELF', 'WALNUT-DESK'];

const EXAMPLES: Record<string, Example> = {
  '01-log-in': {
    as: 'anonymous',
    expect: (data) =>
      expect(data).toEqual({
        logIn: {
          accessToken: expect.any(String),
          refreshToken: expect.any(String),
          expiresIn: 900,
          user: { id: expect.any(String), email: login.email, roles: expect.arrayContaining([{ name: 'admin' }]) },
        },
      }),
  },
  '02-viewer': {
    as: 'admin',
    expect: (data) =>
      expect(data).toMatchObject({
        viewer: {
          email: login.email,
          roles: expect.arrayContaining([
            {
              name: 'admin',
              builtIn: true,
              policies: expect.arrayContaining([
                { resource: 'PRODUCT', actions: ['READ', 'CREATE', 'UPDATE', 'DELETE'], selectors: ['*'] },
              ]),
            },
          ]),
        },
      }),
  },
  '03-add-batch': {
    as: 'admin',
    expect: (data) =>
      expect(data).toEqual({
        addBatch: {
          batch: {
            id: expect.any(String),
            reference: 'batch-100',
            sku: 'OAK-TABLE',
            purchasedQuantity: 12,
            allocatedQuantity: 0,
            availableQuantity: 12,
            eta: '2027-03-01',
          },
          product: { id: expect.any(String), sku: 'OAK-TABLE', version: 1, availableQuantity: 12 },
        },
      }),
  },
  '04-allocate': {
    as: 'admin',
    expect: (data) =>
      expect(data).toEqual({
        allocate: {
          batchReference: 'batch-100',
          batch: {
            reference: 'batch-100',
            purchasedQuantity: 12,
            allocatedQuantity: 3,
            availableQuantity: 9,
            product: { sku: 'OAK-TABLE', version: 2, availableQuantity: 9 },
          },
        },
      }),
  },
  '05-allocations': {
    as: 'admin',
    expect: (data) =>
      expect(data).toEqual({
        allocations: [
          {
            orderId: 'order-100',
            sku: 'OAK-TABLE',
            batchReference: 'batch-100',
            batch: { reference: 'batch-100', eta: '2027-03-01', availableQuantity: 9 },
          },
        ],
      }),
  },
  '06-products-page': {
    as: 'admin',
    expect: async (data, context) => {
      const all = ['OAK-TABLE', ...OTHER_PRODUCTS].sort();
      const first = PAGE.parse(data).products;
      expect(first.totalCount).toBe(all.length);
      expect(skus(first)).toEqual(all.slice(0, 2));
      expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      // The next page, as the header says: "after" = endCursor.
      const second = PAGE.parse(await context.again({ first: 2, after: first.pageInfo.endCursor })).products;
      expect(skus(second)).toEqual(all.slice(2, 4));
      expect(second.pageInfo.hasNextPage).toBe(false);
      // And back: "last" with "before" = the second page's startCursor.
      const back = PAGE.parse(await context.again({ last: 2, before: second.pageInfo.startCursor })).products;
      expect(skus(back)).toEqual(skus(first));
      expect(back.pageInfo.hasPreviousPage).toBe(false);
      const oak = [...first.edges, ...second.edges].find((edge) => edge.node.sku === 'OAK-TABLE')?.node;
      expect(oak).toMatchObject({
        version: 2,
        availableQuantity: 9,
        batches: {
          totalCount: 1,
          edges: [{ node: { reference: 'batch-100', purchasedQuantity: 12, allocatedQuantity: 3, eta: '2027-03-01' } }],
        },
      });
    },
  },
  '07-node': {
    as: 'admin',
    expect: (data, context) => {
      // The id in the variables file is the one 03-add-batch answers for OAK-TABLE.
      const added = answer(context, '03-add-batch', ADDED);
      expect(variablesOf('07-node')).toEqual({ id: added.addBatch.product.id });
      expect(data).toEqual({
        node: { __typename: 'Product', id: added.addBatch.product.id, sku: 'OAK-TABLE', availableQuantity: 9 },
      });
    },
  },
  '08-nodes': {
    as: 'admin',
    expect: (data, context) => {
      const added = answer(context, '03-add-batch', ADDED);
      const { ids } = variablesOf('08-nodes') as { ids: string[] };
      expect(ids.slice(0, 2)).toEqual([added.addBatch.product.id, added.addBatch.batch.id]);
      expect(data).toEqual({
        nodes: [
          { __typename: 'Product', id: ids[0], sku: 'OAK-TABLE' },
          { __typename: 'Batch', id: ids[1], reference: 'batch-100', purchasedQuantity: 12 },
          null,
        ],
      });
    },
  },
  '09-sign-up': {
    as: 'anonymous',
    expect: (data) =>
      expect(data).toEqual({
        signUp: {
          accessToken: expect.any(String),
          user: { id: expect.any(String), email: clerk.email, name: 'Casey Clerk', roles: [{ name: 'member' }] },
        },
      }),
  },
  '10-create-role': {
    as: 'admin',
    expect: (data) =>
      expect(data).toEqual({ createRole: { role: { name: role.name, builtIn: false, policies: role.policies } } }),
  },
  '11-grant-role': {
    as: 'admin',
    variables: (context) => {
      const placeholder = (variablesOf('11-grant-role') as { input: { userId: string } }).input.userId;
      expect(placeholder).toMatch(/^<.*>$/);
      const { signUp } = answer(context, '09-sign-up', SIGNED_UP);
      return { input: { userId: signUp.user.id, role: role.name } };
    },
    expect: (data, context) => {
      const { signUp } = answer(context, '09-sign-up', SIGNED_UP);
      expect(data).toEqual({
        grantRole: {
          user: {
            id: signUp.user.id,
            email: clerk.email,
            roles: expect.arrayContaining([{ name: 'member' }, { name: role.name }]),
          },
          role: { name: role.name },
        },
      });
    },
  },
  '12-users': {
    as: 'admin',
    expect: (data) => {
      const { users } = USERS.parse(data);
      expect(users.totalCount).toBe(2);
      expect(users.edges.map((edge) => edge.node.email).sort()).toEqual([login.email, clerk.email].sort());
      const roles = Object.fromEntries(
        users.edges.map((edge) => [edge.node.email, edge.node.roles.map((held) => held.name).sort()]),
      );
      expect(roles[clerk.email]).toEqual(['member', role.name].sort());
      expect(roles[login.email]).toContain('admin');
    },
  },
  '13-roles': {
    as: 'admin',
    expect: (data) => {
      const { roles } = ROLES.parse(data);
      expect(roles.edges.map((edge) => edge.node.name).sort()).toEqual(['admin', 'member', role.name].sort());
      expect(roles.totalCount).toBe(3);
      expect(roles.edges.find((edge) => edge.node.name === role.name)?.node).toEqual({
        name: role.name,
        builtIn: false,
        policies: role.policies,
      });
    },
  },
  '14-failed-jobs': {
    as: 'admin',
    // A job that gave up, as an operator would find one (worker.test.ts proves real retries end here).
    prepare: async ({ server }) => {
      await server.pool.oneFirst(sql.type(z.object({ failed: z.number() }))`
        SELECT count(*)::int AS failed FROM graphile_worker.permanently_fail_jobs(
          ARRAY[(graphile_worker.add_job('notifyOutOfStock', '{"example": true}'::json, max_attempts => 3)).id],
          'SMTP server unreachable')`);
    },
    expect: (data) =>
      expect(data).toEqual({
        failedJobs: {
          totalCount: 1,
          edges: [
            {
              node: {
                jobId: expect.any(String),
                task: 'notifyOutOfStock',
                attempts: 3,
                maxAttempts: 3,
                lastError: 'SMTP server unreachable',
                createdAt: expect.any(String),
                failedAt: expect.any(String),
                payload: '{"example": true}',
              },
            },
          ],
          pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
        },
      }),
  },
};

const operationOf = (name: string): OperationDefinitionNode => {
  const definitions = parse(document(name)).definitions;
  const operations = definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  expect(operations).toHaveLength(1);
  return operations[0] as OperationDefinitionNode;
};

describe('examples/: what each file says it is', () => {
  test('every example has an entry in this test, and every entry an example', () => {
    expect(exampleNames.length).toBeGreaterThan(0);
    expect(exampleNames).toEqual(Object.keys(EXAMPLES).sort());
  });

  test('every variables file belongs to an example', () => {
    const variablesFiles = files.filter((file) => file.endsWith('.variables.json'));
    expect(variablesFiles.filter((file) => !exampleNames.includes(file.replace(/\.variables\.json$/, '')))).toEqual([]);
  });

  test('examples/README.md lists every example, in order', () => {
    const readme = readFileSync(join(EXAMPLES_DIR, 'README.md'), 'utf8');
    const positions = exampleNames.map((name) => readme.indexOf(`${name}.graphql`));
    expect(positions.filter((position) => position < 0)).toEqual([]);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  test.each(exampleNames)('%s starts with a comment explaining it and names its variables', (name) => {
    const lines = document(name).split('\n');
    const header = lines.slice(
      0,
      lines.findIndex((line) => !line.startsWith('#')),
    );
    expect(header.length).toBeGreaterThanOrEqual(3);
    expect(header.join('\n')).toMatch(/Variables/);
    const file = variablesFileOf(name);
    if (file) expect(header.join('\n')).toContain(file);
  });

  test.each(exampleNames)('%s is one named operation whose variables file names exactly its variables', (name) => {
    const operation = operationOf(name);
    expect(operation.name?.value).toMatch(/^[A-Z]\w+$/);
    const declared = (operation.variableDefinitions ?? []).map((definition) => definition.variable.name.value);
    const required = (operation.variableDefinitions ?? [])
      .filter((definition) => definition.type.kind === Kind.NON_NULL_TYPE && !definition.defaultValue)
      .map((definition) => definition.variable.name.value);
    if (declared.length === 0) {
      expect(variablesFileOf(name)).toBeUndefined();
      return;
    }
    expect(variablesFileOf(name)).toBe(`${name}.variables.json`);
    const given = Object.keys(variablesOf(name));
    expect(given.filter((variable) => !declared.includes(variable))).toEqual([]);
    expect(required.filter((variable) => !given.includes(variable))).toEqual([]);
  });
});

describe('examples/: run in order against a real server', () => {
  let server: TestServer;
  const answers = new Map<string, Data>();

  const send = async (
    name: string,
    variables: Record<string, unknown>,
    headers: Record<string, string>,
  ): Promise<Data> => {
    const response: GraphQLResponse = await server.graphql(document(name), variables, headers);
    if (response.status !== 200 || response.body.errors || !response.body.data) {
      throw new Error(`${name} answered ${response.status}: ${JSON.stringify(response.body)}`);
    }
    return response.body.data;
  };

  const headersFor = (caller: Caller): Record<string, string> => {
    if (caller === 'anonymous') return {};
    const signedIn = answers.get('01-log-in');
    if (!signedIn) throw new Error('01-log-in has not run: no administrator token');
    return { authorization: `Bearer ${LOGGED_IN.parse(signedIn).logIn.accessToken}` };
  };

  beforeAll(async () => {
    // The administrator of the examples' 01-log-in, as `npm start` creates it in development.
    server = await startTestServer({ KINGDOM_ADMIN_EMAIL: login.email, KINGDOM_ADMIN_PASSWORD: login.password });
    const admin = await server.signIn(login.email, login.password);
    for (const [index, sku] of OTHER_PRODUCTS.entries()) {
      const response = await server.graphql(
        'mutation ($input: AddBatchInput!) { addBatch(input: $input) { product { sku } } }',
        { input: { reference: `sample-${index}`, sku, quantity: 10 } },
        admin,
      );
      expect(response.body.errors).toBeUndefined();
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  for (const name of exampleNames) {
    test(`${name} answers without errors and with what it promises`, async () => {
      const example = EXAMPLES[name];
      if (!example) throw new Error(`examples/${name}.graphql has no entry in EXAMPLES (tests/e2e/examples.test.ts)`);
      const headers = headersFor(example.as);
      const context: Context = { answers, server, again: (variables, other = headers) => send(name, variables, other) };
      await example.prepare?.(context);
      const variables = { ...variablesOf(name), ...example.variables?.(context) };
      const data = await send(name, variables, headers);
      await example.expect(data, context);
      answers.set(name, data);
    });
  }

  test('the clerk granted the role (11-grant-role) sees and allocates OAK-TABLE only', async () => {
    const signedIn = await send('01-log-in', { email: clerk.email, password: clerk.password }, {});
    const headers = { authorization: `Bearer ${LOGGED_IN.parse(signedIn).logIn.accessToken}` };
    const page = PAGE.parse(await send('06-products-page', variablesOf('06-products-page'), headers)).products;
    expect(page.totalCount).toBe(1);
    expect(skus(page)).toEqual(['OAK-TABLE']);
    const allocated = await send(
      '04-allocate',
      { input: { orderId: 'order-101', sku: 'OAK-TABLE', quantity: 1 } },
      headers,
    );
    expect(allocated).toMatchObject({ allocate: { batchReference: 'batch-100' } });
    const response = await server.graphql(
      document('04-allocate'),
      { input: { orderId: 'order-102', sku: 'ASH-CHAIR', quantity: 1 } },
      headers,
    );
    expect(response.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

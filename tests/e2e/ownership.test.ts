/**
 * Two suppliers on one server (the insecure-direct-object-reference test): each may read and change only the
 * products they created, and must not learn anything of the other's through direct lookups, `node`/`nodes`, nested
 * edges, aliases, lists or errors. Then changes of roles and policies, which apply on the caller's very next request.
 */
import { jest } from '@jest/globals';
import { toGlobalId } from 'graphql-relay';
import { graphql } from '../generated/index.ts';
import { SignUpDocument } from '../generated/graphql.ts';
import { startTestServer, type GraphQLResponse, type TestServer } from './support/server.ts';

jest.setTimeout(60_000);

const PASSWORD = 'ownership test password';
const SUPPLIER_POLICIES = [
  { resource: 'PRODUCT', actions: ['READ', 'CREATE', 'UPDATE'], selectors: ['OWNER'] },
  { resource: 'BATCH', actions: ['READ', 'UPDATE'], selectors: ['OWNER'] },
];

let server: TestServer;
type User = { id: string; headers: Record<string, string> };
let alice: User;
let bob: User;

const data = <TData>(response: GraphQLResponse<TData>): TData => {
  if (response.status !== 200 || response.body.errors || !response.body.data) {
    throw new Error(JSON.stringify(response.body));
  }
  return response.body.data;
};

const signUp = async (email: string): Promise<User> => {
  const signedUp = data(
    await server.graphql(SignUpDocument, { input: { email, password: PASSWORD, name: email.split('@')[0]! } }),
  ).signUp;
  return { id: signedUp.user.id, headers: await server.signIn(email, PASSWORD) };
};

const roleMutation = (name: 'grantRole' | 'revokeRole', userId: string, role: string) =>
  server.admin(
    `mutation ($input: ${name === 'grantRole' ? 'GrantRoleInput' : 'RevokeRoleInput'}!) { ${name}(input: $input) { role { name } } }`,
    {
      input: { userId, role },
    },
  );

const addBatch = (user: User, reference: string, sku: string) =>
  server.graphql(
    'mutation ($input: AddBatchInput!) { addBatch(input: $input) { batch { reference } } }',
    { input: { reference, sku, quantity: 10 } },
    user.headers,
  );

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_AUTH_PER_ACCOUNT: '1000', RATE_LIMIT_AUTH_PER_ADDRESS: '1000' });
  data(
    await server.admin('mutation ($input: CreateRoleInput!) { createRole(input: $input) { role { name } } }', {
      input: { name: 'supplier', policies: SUPPLIER_POLICIES },
    }),
  );
  alice = await signUp('alice@example.com');
  bob = await signUp('bob@example.com');
  for (const user of [alice, bob]) data(await roleMutation('grantRole', user.id, 'supplier'));

  data(await addBatch(alice, 'alice-1', 'ALICE-LAMP'));
  data(await addBatch(bob, 'bob-1', 'BOB-LAMP'));
  data(await addBatch(bob, 'bob-2', 'BOB-LAMP'));
  data(
    await server.graphql(
      'mutation { allocate(input: { orderId: "bob-order", sku: "BOB-LAMP", quantity: 2 }) { batchReference } }',
      undefined,
      bob.headers,
    ),
  );
});
afterAll(async () => server?.close());

const asAlice = (query: string, variables?: Record<string, unknown>) => server.graphql(query, variables, alice.headers);

describe("one supplier never sees another's products", () => {
  it('by direct lookup: null, exactly as for a SKU that does not exist', async () => {
    const theirs = await asAlice('{ product(sku: "BOB-LAMP") { sku } }');
    const nobodys = await asAlice('{ product(sku: "NO-SUCH-LAMP") { sku } }');

    expect(theirs.body).toEqual({ data: { product: null } });
    expect(theirs.body).toEqual(nobodys.body);
    expect(data(await asAlice('{ product(sku: "ALICE-LAMP") { sku } }'))).toEqual({ product: { sku: 'ALICE-LAMP' } });
  });

  it('through node and nodes, for products and batches alike', async () => {
    const ids = [toGlobalId('Product', 'BOB-LAMP'), toGlobalId('Batch', 'bob-1'), toGlobalId('Product', 'ALICE-LAMP')];

    expect(data(await asAlice('query ($id: ID!) { node(id: $id) { id } }', { id: ids[0] }))).toEqual({ node: null });
    expect(data(await asAlice('query ($id: ID!) { node(id: $id) { id } }', { id: ids[1] }))).toEqual({ node: null });
    expect(data(await asAlice('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids }))).toEqual({
      nodes: [null, null, { id: ids[2] }],
    });
  });

  it('through aliases in one request, each answered on its own', async () => {
    const answer = data(
      await asAlice(
        '{ mine: product(sku: "ALICE-LAMP") { sku } theirs: product(sku: "BOB-LAMP") { sku } again: product(sku: "BOB-LAMP") { batches { totalCount } } }',
      ),
    );

    expect(answer).toEqual({ mine: { sku: 'ALICE-LAMP' }, theirs: null, again: null });
  });

  it('in lists: the connection holds only their own, with a total and page info to match', async () => {
    const page = data(
      await asAlice('{ products(first: 1) { totalCount edges { node { sku } } pageInfo { hasNextPage } } }'),
    );

    expect(page).toEqual({
      products: { totalCount: 1, edges: [{ node: { sku: 'ALICE-LAMP' } }], pageInfo: { hasNextPage: false } },
    });
    expect(data(await asAlice('{ allocations(orderId: "bob-order") { sku } }'))).toEqual({ allocations: [] });
  });

  it('nested under their own product, only their own batches', async () => {
    const product = data(
      await asAlice(
        '{ product(sku: "ALICE-LAMP") { batches { totalCount edges { node { reference product { sku } } } } } }',
      ),
    );

    expect(product).toEqual({
      product: {
        batches: { totalCount: 1, edges: [{ node: { reference: 'alice-1', product: { sku: 'ALICE-LAMP' } } }] },
      },
    });
  });

  it('and cannot change them: NOT_FOUND, shaped exactly like the answer for a product that does not exist', async () => {
    const allocate = (sku: string) =>
      asAlice(
        'mutation ($sku: String!) { allocate(input: { orderId: "alice-order", sku: $sku, quantity: 1 }) { batchReference } }',
        { sku },
      );
    const theirs = await allocate('BOB-LAMP');
    const nobodys = await allocate('NO-SUCH-LAMP');

    expect(theirs.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(JSON.stringify(theirs.body).replaceAll('BOB-LAMP', 'SKU')).toBe(
      JSON.stringify(nobodys.body).replaceAll('NO-SUCH-LAMP', 'SKU'),
    );

    const change = await asAlice(
      'mutation { changeBatchQuantity(input: { reference: "bob-1", quantity: 1 }) { batch { reference } } }',
    );
    const changeMissing = await asAlice(
      'mutation { changeBatchQuantity(input: { reference: "no-such-batch", quantity: 1 }) { batch { reference } } }',
    );
    expect(change.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(JSON.stringify(change.body).replaceAll('bob-1', 'REF')).toBe(
      JSON.stringify(changeMissing.body).replaceAll('no-such-batch', 'REF'),
    );

    // Creating is refused outright (FORBIDDEN), whatever the SKU: the answer does not depend on what exists.
    expect((await addBatch(alice, 'alice-into-bob', 'BOB-LAMP')).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bobsStock = data(
      await server.admin('{ product(sku: "BOB-LAMP") { batches { totalCount } availableQuantity } }'),
    );
    expect(bobsStock).toEqual({ product: { batches: { totalCount: 2 }, availableQuantity: 18 } });
  });
});

describe('changes to roles and policies apply on the next request', () => {
  it('a revoked role stops working at once, with the same access token; a granted one starts working', async () => {
    const products = () => asAlice('{ products { totalCount } }');
    expect(data(await products())).toEqual({ products: { totalCount: 1 } });

    data(await roleMutation('revokeRole', alice.id, 'supplier'));
    expect((await products()).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    data(await roleMutation('grantRole', alice.id, 'supplier'));
    expect(data(await products())).toEqual({ products: { totalCount: 1 } });
  });

  it("a role's new policies apply to everyone holding it on their next request", async () => {
    const update = (policies: unknown[]) =>
      server.admin(
        'mutation ($input: UpdateRolePoliciesInput!) { updateRolePolicies(input: $input) { role { name } } }',
        {
          input: { name: 'supplier', policies },
        },
      );
    data(await update([...SUPPLIER_POLICIES, { resource: 'PRODUCT', actions: ['READ'], selectors: ['BOB-LAMP'] }]));
    expect(data(await asAlice('{ products { totalCount } }'))).toEqual({ products: { totalCount: 2 } });

    data(await update(SUPPLIER_POLICIES));
    expect(data(await asAlice('{ products { totalCount } }'))).toEqual({ products: { totalCount: 1 } });
  });

  it('deleting a role takes it from everyone who held it', async () => {
    data(
      await server.admin('mutation ($input: CreateRoleInput!) { createRole(input: $input) { role { name } } }', {
        input: { name: 'reader', policies: [{ resource: 'PRODUCT', actions: ['READ'], selectors: ['*'] }] },
      }),
    );
    const carol = await signUp('carol@example.com');
    data(await roleMutation('grantRole', carol.id, 'reader'));
    expect(data(await server.graphql('{ products { totalCount } }', undefined, carol.headers))).toEqual({
      products: { totalCount: 2 },
    });

    data(await server.admin('mutation { deleteRole(input: { name: "reader" }) { name } }'));
    const after = await server.graphql('{ products { totalCount } }', undefined, carol.headers);
    expect(after.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(data(await server.graphql('{ viewer { roles { name } } }', undefined, carol.headers))).toEqual({
      viewer: { roles: [{ name: 'member' }] },
    });
  });
});

describe('the administration API', () => {
  it('refuses bad policies with BAD_USER_INPUT naming the offending path, and stores nothing', async () => {
    const create = (policies: unknown[]) =>
      server.admin('mutation ($input: CreateRoleInput!) { createRole(input: $input) { role { name } } }', {
        input: { name: 'broken', policies },
      });
    const cases: Array<[unknown[], RegExp | string]> = [
      [[{ resource: 'SPACESHIP', actions: ['READ'], selectors: ['*'] }], /policies\[0\]\.resource|SPACESHIP/],
      [[{ resource: 'PRODUCT', actions: ['LAUNCH'], selectors: ['*'] }], /LAUNCH/],
      [[{ resource: 'PRODUCT', actions: ['READ'], selectors: [] }], 'input.policies[0].selectors'],
      [[{ resource: 'PRODUCT', actions: [], selectors: ['*'] }], 'input.policies[0].actions'],
      [
        [
          { resource: 'PRODUCT', actions: ['READ'], selectors: ['*'] },
          { resource: 'USER', actions: ['READ'], selectors: ['not-a-user-id'] },
        ],
        'input.policies[1].selectors[0]',
      ],
    ];
    for (const [policies, where] of cases) {
      const { body } = await create(policies);
      const [error] = body.errors ?? [];
      expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
      if (typeof where === 'string') expect(error?.extensions?.field).toBe(where);
      else expect(error?.message).toMatch(where);
    }
    expect(data(await server.admin('{ roles(first: 100) { edges { node { name } } } }')).roles).not.toMatchObject({
      edges: expect.arrayContaining([{ node: { name: 'broken' } }]),
    });
  });

  it('lists roles with their policies, user selectors shown as User ids', async () => {
    data(
      await server.admin('mutation ($input: CreateRoleInput!) { createRole(input: $input) { role { name } } }', {
        input: { name: 'alice-reader', policies: [{ resource: 'USER', actions: ['READ'], selectors: [alice.id] }] },
      }),
    );
    const roles = data(
      await server.admin(
        graphql(`
          query OwnershipRoles {
            roles(first: 100) {
              totalCount
              edges {
                node {
                  name
                  builtIn
                  policies {
                    resource
                    actions
                    selectors
                  }
                }
              }
            }
          }
        `),
      ),
    ).roles;

    expect(roles.edges.map((edge) => edge.node.name)).toEqual(['admin', 'alice-reader', 'member', 'supplier']);
    expect(roles.totalCount).toBe(4);
    expect(roles.edges.find((edge) => edge.node.name === 'alice-reader')?.node).toEqual({
      name: 'alice-reader',
      builtIn: false,
      policies: [{ resource: 'USER', actions: ['READ'], selectors: [alice.id] }],
    });
  });

  it('keeps the built-in roles: admin cannot be changed or deleted, member cannot be deleted', async () => {
    const deleteAdmin = await server.admin('mutation { deleteRole(input: { name: "admin" }) { name } }');
    const deleteMember = await server.admin('mutation { deleteRole(input: { name: "member" }) { name } }');
    const changeAdmin = await server.admin(
      'mutation { updateRolePolicies(input: { name: "admin", policies: [] }) { role { name } } }',
    );

    for (const response of [deleteAdmin, deleteMember, changeAdmin]) {
      expect(response.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(data(await server.admin('{ products { totalCount } }'))).toEqual({ products: { totalCount: 2 } });
  });

  it('lists users to an admin, and to a member only themselves', async () => {
    const everyone = data(
      await server.admin(
        graphql(`
          query OwnershipUserCount {
            users {
              totalCount
            }
          }
        `),
      ),
    );
    expect(everyone.users.totalCount).toBeGreaterThanOrEqual(3);

    const dave = await signUp('dave@example.com');
    const own = data(
      await server.graphql('{ users { totalCount edges { node { id email } } } }', undefined, dave.headers),
    );
    expect(own).toEqual({ users: { totalCount: 1, edges: [{ node: { id: dave.id, email: 'dave@example.com' } }] } });
  });
});

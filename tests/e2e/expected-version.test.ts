/**
 * Optimistic concurrency in the API, over HTTP on real Postgres: a client passes the version it read
 * (`expectedVersion`), and a change made since is a CONFLICT naming the current version, with nothing changed.
 */
import { jest } from '@jest/globals';
import { graphql } from '../generated/index.ts';
import { startTestServer, type GraphQLResponse, type TestServer } from './support/server.ts';

jest.setTimeout(60_000);

const SKU = 'VERSIONED-LAMP';
const PRODUCT = graphql(`
  query ExpectedVersionProduct($sku: String!) {
    product(sku: $sku) {
      version
      availableQuantity
      batches {
        edges {
          node {
            reference
            purchasedQuantity
            allocatedQuantity
          }
        }
      }
    }
  }
`);
const ADD_BATCH = `mutation ($input: AddBatchInput!) { addBatch(input: $input) { product { version } } }`;
const ALLOCATE = `mutation ($input: AllocateInput!) { allocate(input: $input) { batchReference } }`;
const DEALLOCATE = `mutation ($input: DeallocateInput!) { deallocate(input: $input) { batchReference } }`;
const CHANGE_QUANTITY = `mutation ($input: ChangeBatchQuantityInput!) {
  changeBatchQuantity(input: $input) { product { version } }
}`;
const CREATE_ROLE = `mutation ($input: CreateRoleInput!) { createRole(input: $input) { role { name version } } }`;
const UPDATE_ROLE = `mutation ($input: UpdateRolePoliciesInput!) {
  updateRolePolicies(input: $input) { role { version policies { resource actions selectors } } }
}`;
const ROLES = graphql(`
  query ExpectedVersionRoles {
    roles(first: 100) {
      edges {
        node {
          name
          version
          policies {
            resource
            actions
            selectors
          }
        }
      }
    }
  }
`);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const ok = <TData>(response: GraphQLResponse<TData>): TData => {
  expect(response.body.errors).toBeUndefined();
  if (!response.body.data) throw new Error(`no data: ${JSON.stringify(response.body)}`);
  return response.body.data;
};
const conflictOf = (response: GraphQLResponse<unknown>) => ({
  data: response.body.data,
  code: response.body.errors?.[0]?.extensions?.code,
  field: response.body.errors?.[0]?.extensions?.field,
  expectedVersion: response.body.errors?.[0]?.extensions?.expectedVersion,
  currentVersion: response.body.errors?.[0]?.extensions?.currentVersion,
});
const stale = (expectedVersion: number, currentVersion: number) => ({
  data: null,
  code: 'CONFLICT',
  field: 'input.expectedVersion',
  expectedVersion,
  currentVersion,
});
const product = async () => ok(await server.admin(PRODUCT, { sku: SKU })).product!;

describe('inventory mutations with a stale expectedVersion', () => {
  beforeAll(async () => {
    ok(await server.admin(ADD_BATCH, { input: { reference: 'ver-1', sku: SKU, quantity: 10 } }));
    ok(await server.admin(ALLOCATE, { input: { orderId: 'ver-order-1', sku: SKU, quantity: 2 } }));
  });

  test.each([
    ['allocate', ALLOCATE, { orderId: 'ver-order-2', sku: SKU, quantity: 1 }],
    ['deallocate', DEALLOCATE, { orderId: 'ver-order-1', sku: SKU }],
    ['changeBatchQuantity', CHANGE_QUANTITY, { reference: 'ver-1', quantity: 1 }],
  ])('%s is CONFLICT with the current version in extensions, and changes nothing', async (_name, mutation, input) => {
    const before = await product();
    expect(before.version).toBe(2);

    const response = await server.admin(mutation, { input: { ...input, expectedVersion: 1 } });

    expect(conflictOf(response)).toEqual(stale(1, 2));
    expect(await product()).toEqual(before);
  });

  test('with the version the client read, the change applies, and the next stale one is refused', async () => {
    const read = await product();

    ok(
      await server.admin(ALLOCATE, {
        input: { orderId: 'ver-order-3', sku: SKU, quantity: 1, expectedVersion: read.version },
      }),
    );
    const again = await server.admin(ALLOCATE, {
      input: { orderId: 'ver-order-4', sku: SKU, quantity: 1, expectedVersion: read.version },
    });

    expect(conflictOf(again)).toEqual(stale(read.version, read.version + 1));
    expect((await product()).version).toBe(read.version + 1);
  });

  test('without expectedVersion, a change applies to whatever is current (as before)', async () => {
    const read = await product();
    ok(await server.admin(CHANGE_QUANTITY, { input: { reference: 'ver-1', quantity: 12 } }));
    expect((await product()).version).toBe(read.version + 1);
  });
});

describe('updateRolePolicies with a stale expectedVersion', () => {
  const READ_LAMP = { resource: 'PRODUCT', actions: ['READ'], selectors: [SKU] };
  const EDIT_LAMP = { resource: 'PRODUCT', actions: ['UPDATE'], selectors: [SKU] };
  const role = async () =>
    ok(await server.admin(ROLES))
      .roles.edges.map((edge) => edge.node)
      .find((node) => node.name === 'lamp-keeper');

  test('is CONFLICT with the current version, and the policies stay as the other writer left them', async () => {
    const created = ok(await server.admin(CREATE_ROLE, { input: { name: 'lamp-keeper', policies: [READ_LAMP] } }));
    expect(created.createRole).toEqual({ role: { name: 'lamp-keeper', version: 1 } });
    // Two administrators read version 1; the first one's change lands.
    const first = ok(
      await server.admin(UPDATE_ROLE, { input: { name: 'lamp-keeper', policies: [EDIT_LAMP], expectedVersion: 1 } }),
    );
    expect(first.updateRolePolicies).toEqual({ role: { version: 2, policies: [EDIT_LAMP] } });

    const second = await server.admin(UPDATE_ROLE, {
      input: { name: 'lamp-keeper', policies: [], expectedVersion: 1 },
    });

    expect(conflictOf(second)).toEqual(stale(1, 2));
    expect(await role()).toEqual({ name: 'lamp-keeper', version: 2, policies: [EDIT_LAMP] });
  });
});

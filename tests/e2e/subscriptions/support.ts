/** What the subscription tests share: a server's admin headers, mutations they make, waiting for the fan-out. */
import type { GraphQLResponse, TestServer } from '../support/server.ts';
import { TEST_ADMIN } from '../support/server.ts';

export const PRODUCT_CHANGED =
  'subscription ($sku: String!) { productChanged(sku: $sku) { sku version availableQuantity } }';
export const ORDER_ALLOCATIONS =
  'subscription ($orderId: String!) { orderAllocations(orderId: $orderId) { orderId sku batchReference batch { reference } } }';

/** The data of a response that must have succeeded. */
export const data = (response: GraphQLResponse): Record<string, unknown> => {
  if (response.status !== 200 || response.body.errors) throw new Error(JSON.stringify(response.body));
  return response.body.data ?? {};
};

/** The administrator's `Authorization` header value, for a connection_init payload. */
export const adminHeaders = async (server: TestServer): Promise<{ authorization: string }> => {
  const { authorization } = await server.signIn(TEST_ADMIN.email, TEST_ADMIN.password);
  if (!authorization) throw new Error('signIn gave no authorization header');
  return { authorization };
};

export const addBatch = (server: TestServer, reference: string, sku: string, quantity: number) =>
  server.admin('mutation ($input: AddBatchInput!) { addBatch(input: $input) { product { sku version } } }', {
    input: { reference, sku, quantity },
  });

export const allocate = (server: TestServer, orderId: string, sku: string, quantity: number) =>
  server.admin('mutation ($input: AllocateInput!) { allocate(input: $input) { batchReference } }', {
    input: { orderId, sku, quantity },
  });

export const changeBatchQuantity = (server: TestServer, reference: string, quantity: number) =>
  server.admin(
    'mutation ($input: ChangeBatchQuantityInput!) { changeBatchQuantity(input: $input) { product { version } } }',
    { input: { reference, quantity } },
  );

/** Resolves once this process follows at least `count` subscriptions (they are then sure to hear a change). */
export const followed = async (server: { followers(): number }, count: number, ms = 5000): Promise<void> => {
  for (let waited = 0; server.followers() < count; waited += 10) {
    if (waited > ms) throw new Error(`followed ${server.followers()} subscriptions, not ${count}, after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/** Resolves once this process follows at most `count` subscriptions (closed ones are let go asynchronously). */
export const unfollowed = async (server: { followers(): number }, count: number, ms = 5000): Promise<void> => {
  for (let waited = 0; server.followers() > count; waited += 10) {
    if (waited > ms) throw new Error(`still following ${server.followers()} subscriptions after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Inventory's rows of the authorization matrix: products, batches and allocations, and their resolution as entities
 * of the supergraph. `node` and `nodes` (the shell's Global Object Identification) and the subgraph's `_entities`
 * and `_service` are tested here too, on a Product: they need an object of some context to fetch.
 */
import { toGlobalId } from 'graphql-relay';
import {
  createdBy,
  ALL_ACTIONS,
  CALLERS,
  followsOneInstance,
  listsInstances,
  publicField,
  readsOneInstance,
  writtenByScopedAndStar,
  type Caller,
  type MatrixHarness,
  type MatrixPart,
} from './matrix.ts';

const productId = toGlobalId('Product', 'SKU-A');

let triggered = 0;

/** `_entities` for one representation, selecting `fields`; its outcome is that of the one entity. */
const entityRow = (representation: string, fields: string) => ({
  operation: `{ _entities(representations: [${representation}]) { ... on ${fields} } }`,
  field: '_entities',
  value: (answered: Record<string, unknown>) => (answered._entities as unknown[])[0],
});

const addBatch = ({ as }: MatrixHarness, caller: Caller, reference: string, sku: string, quantity: number) =>
  as(caller, 'mutation ($input: AddBatchInput!) { addBatch(input: $input) { batch { reference } } }', {
    input: { reference, sku, quantity },
  });

export const matrix: MatrixPart = {
  fixtures: async (harness) => {
    const { as, data } = harness;
    data(await addBatch(harness, 'admin', 'batch-a', 'SKU-A', 1000));
    data(await addBatch(harness, 'admin', 'batch-b', 'SKU-B', 1000));
    data(
      await as(
        'admin',
        'mutation { allocate(input: { orderId: "order-fixture", sku: "SKU-A", quantity: 1 }) { batchReference } }',
      ),
    );
  },
  // scoped: one product and one batch; star: every product and batch, but may not create batches of a product.
  policies: () => ({
    scoped: [
      { resource: 'PRODUCT', actions: ALL_ACTIONS, selectors: ['SKU-A'] },
      { resource: 'BATCH', actions: ALL_ACTIONS, selectors: ['batch-a'] },
    ],
    star: [
      { resource: 'PRODUCT', actions: ['READ', 'CREATE', 'UPDATE'], selectors: ['*'] },
      { resource: 'BATCH', actions: ['READ', 'UPDATE'], selectors: ['*'] },
    ],
  }),
  rows: {
    'Query.node': {
      operation: `{ node(id: "${productId}") { id } }`,
      expect: { ...readsOneInstance, anonymous: 'null' },
    },
    'Query.nodes': {
      operation: `{ nodes(ids: ["${productId}"]) { id } }`,
      value: (answered) => (answered.nodes as unknown[])[0],
      expect: { ...readsOneInstance, anonymous: 'null' },
    },
    // Only the router may use the subgraph's own fields: a caller's request without its secret is refused.
    'Query._entities': {
      ...entityRow('{ __typename: "Product", sku: "SKU-A" }', 'Product { sku }'),
      expect: {
        anonymous: 'FORBIDDEN',
        noRole: 'FORBIDDEN',
        scoped: 'FORBIDDEN',
        star: 'FORBIDDEN',
        admin: 'FORBIDDEN',
      },
    },
    'Query._service': { operation: '{ _service { sdl } }', viaRouter: true, expect: publicField },
    // Through the router, an entity is what node(id:) answers the caller: null where they may not read it.
    'Product.__resolveReference': {
      ...entityRow('{ __typename: "Product", sku: "SKU-A" }', 'Product { sku }'),
      viaRouter: true,
      expect: { ...readsOneInstance, anonymous: 'null' },
    },
    'Batch.__resolveReference': {
      ...entityRow('{ __typename: "Batch", reference: "batch-a" }', 'Batch { reference }'),
      viaRouter: true,
      expect: { ...readsOneInstance, anonymous: 'null' },
    },
    'Query.product': { operation: '{ product(sku: "SKU-A") { sku } }', expect: readsOneInstance },
    'Query.products': { operation: '{ products { totalCount } }', expect: listsInstances },
    'Query.allocations': { operation: '{ allocations(orderId: "order-fixture") { sku } }', expect: listsInstances },
    'Mutation.addBatch': {
      operation: 'mutation ($input: AddBatchInput!) { addBatch(input: $input) { product { sku } } }',
      variables: (caller) => ({ input: { reference: `matrix-${caller}`, sku: 'SKU-A', quantity: 5 } }),
      expect: createdBy({ scoped: 'ok', star: 'ok' }),
    },
    'Mutation.allocate': {
      operation: 'mutation ($input: AllocateInput!) { allocate(input: $input) { batchReference } }',
      variables: (caller) => ({ input: { orderId: `matrix-${caller}`, sku: 'SKU-A', quantity: 1 } }),
      expect: writtenByScopedAndStar,
    },
    'Mutation.deallocate': {
      operation: 'mutation ($input: DeallocateInput!) { deallocate(input: $input) { batchReference } }',
      variables: () => ({ input: { orderId: 'to-release', sku: 'SKU-A' } }),
      expect: writtenByScopedAndStar,
      // Each allowed caller releases the line, so put it back first (allocating an allocated line changes nothing).
      beforeCaller: async (_caller, { as, data }) => {
        data(
          await as(
            'admin',
            'mutation { allocate(input: { orderId: "to-release", sku: "SKU-A", quantity: 1 }) { batchReference } }',
          ),
        );
      },
    },
    'Subscription.productChanged': {
      operation: 'subscription { productChanged(sku: "SKU-A") { sku version } }',
      expect: followsOneInstance,
      trigger: async (_caller, harness) =>
        void harness.data(await addBatch(harness, 'admin', `watched-${++triggered}`, 'SKU-A', 1)),
    },
    'Subscription.orderAllocations': {
      operation: 'subscription { orderAllocations(orderId: "order-watched") { sku batchReference } }',
      expect: listsInstances,
      // Released first (when it is allocated), so that allocating it is a change each time.
      trigger: async (_caller, { as, data }) => {
        await as(
          'admin',
          'mutation { deallocate(input: { orderId: "order-watched", sku: "SKU-A" }) { batchReference } }',
        );
        data(
          await as(
            'admin',
            'mutation { allocate(input: { orderId: "order-watched", sku: "SKU-A", quantity: 1 }) { batchReference } }',
          ),
        );
      },
    },
    'Mutation.changeBatchQuantity': {
      operation:
        'mutation ($input: ChangeBatchQuantityInput!) { changeBatchQuantity(input: $input) { batch { reference } } }',
      variables: (caller) => ({ input: { reference: 'batch-a', quantity: 2000 + CALLERS.indexOf(caller) } }),
      expect: writtenByScopedAndStar,
    },
  },
};

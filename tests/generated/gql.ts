/* eslint-disable */
import * as types from './graphql.ts';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Stock($sku: String!) {\n    product(sku: $sku) {\n      version\n      availableQuantity\n      batches(first: 100) {\n        edges {\n          node {\n            reference\n            purchasedQuantity\n            allocatedQuantity\n            availableQuantity\n          }\n        }\n      }\n    }\n  }\n": typeof types.StockDocument,
    "\n  query AttackProductSku($sku: String!) {\n    product(sku: $sku) {\n      sku\n    }\n  }\n": typeof types.AttackProductSkuDocument,
    "\n  query AttackSkus {\n    products(first: 100) {\n      totalCount\n      edges {\n        node {\n          sku\n        }\n      }\n    }\n  }\n": typeof types.AttackSkusDocument,
    "\n  query ConnectionsFirstBatchCursorOf($sku: String!) {\n    product(sku: $sku) {\n      batches(first: 1) {\n        edges {\n          cursor\n        }\n      }\n    }\n  }\n": typeof types.ConnectionsFirstBatchCursorOfDocument,
    "\n  query ConnectionsBatchesPage($first: Int, $after: String, $last: Int, $before: String) {\n    product(sku: \"MS-P\") {\n      batches(first: $first, after: $after, last: $last, before: $before) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          hasPreviousPage\n          startCursor\n          endCursor\n        }\n        edges {\n          cursor\n          node {\n            sku: reference\n          }\n        }\n      }\n    }\n  }\n": typeof types.ConnectionsBatchesPageDocument,
    "\n  mutation DatabaseUnavailableLogIn {\n    logIn(input: { email: \"admin@kingdom.local\", password: \"kingdom-admin\" }) {\n      accessToken\n    }\n  }\n": typeof types.DatabaseUnavailableLogInDocument,
    "\n  query DevProbeType {\n    __type(name: \"DevProbe\") {\n      name\n    }\n  }\n": typeof types.DevProbeTypeDocument,
    "\n  query ExpectedVersionProduct($sku: String!) {\n    product(sku: $sku) {\n      version\n      availableQuantity\n      batches {\n        edges {\n          node {\n            reference\n            purchasedQuantity\n            allocatedQuantity\n          }\n        }\n      }\n    }\n  }\n": typeof types.ExpectedVersionProductDocument,
    "\n  query ExpectedVersionRoles {\n    roles(first: 100) {\n      edges {\n        node {\n          name\n          version\n          policies {\n            resource\n            actions\n            selectors\n          }\n        }\n      }\n    }\n  }\n": typeof types.ExpectedVersionRolesDocument,
    "\n  query FailedJobsPage($first: Int, $after: String, $last: Int, $before: String) {\n    failedJobs(first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      edges {\n        cursor\n        node {\n          jobId\n          task\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": typeof types.FailedJobsPageDocument,
    "\n      query FailedJobsProductCursor {\n        products(first: 1) {\n          pageInfo {\n            endCursor\n          }\n        }\n      }\n    ": typeof types.FailedJobsProductCursorDocument,
    "\n          query NodesProductIds {\n            product(sku: \"NODE-P1\") {\n              id\n              batches {\n                edges {\n                  node {\n                    id\n                  }\n                }\n              }\n            }\n          }\n        ": typeof types.NodesProductIdsDocument,
    "mutation AddBatch($input: AddBatchInput!) {\n  addBatch(input: $input) {\n    batch {\n      reference\n      sku\n      purchasedQuantity\n      eta\n    }\n    product {\n      sku\n      version\n    }\n  }\n}": typeof types.AddBatchDocument,
    "mutation Allocate($input: AllocateInput!) {\n  allocate(input: $input) {\n    batchReference\n    batch {\n      reference\n      purchasedQuantity\n      allocatedQuantity\n      availableQuantity\n    }\n  }\n}": typeof types.AllocateDocument,
    "query Allocations($orderId: String!) {\n  allocations(orderId: $orderId) {\n    orderId\n    sku\n    batchReference\n    batch {\n      reference\n      sku\n    }\n  }\n}": typeof types.AllocationsDocument,
    "mutation ChangeBatchQuantity($input: ChangeBatchQuantityInput!) {\n  changeBatchQuantity(input: $input) {\n    batch {\n      reference\n      purchasedQuantity\n      allocatedQuantity\n      availableQuantity\n    }\n    product {\n      sku\n      version\n    }\n  }\n}": typeof types.ChangeBatchQuantityDocument,
    "mutation ChangePassword($input: ChangePasswordInput!) {\n  changePassword(input: $input)\n}": typeof types.ChangePasswordDocument,
    "mutation Deallocate($input: DeallocateInput!) {\n  deallocate(input: $input) {\n    batchReference\n  }\n}": typeof types.DeallocateDocument,
    "mutation LogIn($input: LogInInput!) {\n  logIn(input: $input) {\n    accessToken\n    refreshToken\n    expiresIn\n    user {\n      id\n      email\n    }\n  }\n}": typeof types.LogInDocument,
    "mutation LogOut($input: LogOutInput!) {\n  logOut(input: $input)\n}": typeof types.LogOutDocument,
    "query Node($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on Product {\n      sku\n      description\n    }\n    ... on Batch {\n      reference\n      sku\n      purchasedQuantity\n    }\n    ... on User {\n      email\n      name\n    }\n  }\n}": typeof types.NodeDocument,
    "query Nodes($ids: [ID!]!) {\n  nodes(ids: $ids) {\n    __typename\n    id\n    ... on Product {\n      sku\n    }\n    ... on Batch {\n      reference\n    }\n    ... on User {\n      email\n    }\n  }\n}": typeof types.NodesDocument,
    "query Product($sku: String!) {\n  product(sku: $sku) {\n    sku\n    description\n    version\n    createdAt\n    batches(first: 100) {\n      totalCount\n      edges {\n        node {\n          reference\n          purchasedQuantity\n          eta\n          createdAt\n          product {\n            sku\n          }\n        }\n      }\n    }\n  }\n}": typeof types.ProductDocument,
    "query Products($first: Int, $after: String, $last: Int, $before: String, $orderBy: ProductOrder) {\n  products(\n    first: $first\n    after: $after\n    last: $last\n    before: $before\n    orderBy: $orderBy\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      hasPreviousPage\n      startCursor\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        sku\n      }\n    }\n  }\n}": typeof types.ProductsDocument,
    "mutation RefreshSession($input: RefreshSessionInput!) {\n  refreshSession(input: $input) {\n    accessToken\n    refreshToken\n    expiresIn\n    user {\n      id\n    }\n  }\n}": typeof types.RefreshSessionDocument,
    "mutation RequestPasswordReset($input: RequestPasswordResetInput!) {\n  requestPasswordReset(input: $input)\n}": typeof types.RequestPasswordResetDocument,
    "mutation ResetPassword($input: ResetPasswordInput!) {\n  resetPassword(input: $input) {\n    accessToken\n    refreshToken\n    expiresIn\n    user {\n      id\n      email\n    }\n  }\n}": typeof types.ResetPasswordDocument,
    "mutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    accessToken\n    refreshToken\n    expiresIn\n    user {\n      id\n      email\n      name\n      roles {\n        name\n      }\n      createdAt\n    }\n  }\n}": typeof types.SignUpDocument,
    "query Viewer {\n  viewer {\n    id\n    email\n    name\n    roles {\n      name\n    }\n  }\n}": typeof types.ViewerDocument,
    "\n          query OwnershipRoles {\n            roles(first: 100) {\n              totalCount\n              edges {\n                node {\n                  name\n                  builtIn\n                  policies {\n                    resource\n                    actions\n                    selectors\n                  }\n                }\n              }\n            }\n          }\n        ": typeof types.OwnershipRolesDocument,
    "\n          query OwnershipUserCount {\n            users {\n              totalCount\n            }\n          }\n        ": typeof types.OwnershipUserCountDocument,
    "\n  query ResetTokenFailedJobs {\n    failedJobs {\n      edges {\n        node {\n          task\n          payload\n          lastError\n        }\n      }\n    }\n  }\n": typeof types.ResetTokenFailedJobsDocument,
    "\n    query WorkerFailedJobs {\n      failedJobs {\n        edges {\n          node {\n            jobId\n            task\n            payload\n            attempts\n            maxAttempts\n            lastError\n            createdAt\n            failedAt\n          }\n        }\n      }\n    }\n  ": typeof types.WorkerFailedJobsDocument,
    "\n        query ConnectionsFirstBatchCursor {\n          product(sku: \"P00\") {\n            batches(first: 1) {\n              edges {\n                cursor\n              }\n            }\n          }\n        }\n      ": typeof types.ConnectionsFirstBatchCursorDocument,
    "mutation AddBatchInFull($input: AddBatchInput!) {\n  addBatch(input: $input) {\n    batch {\n      reference\n      sku\n      purchasedQuantity\n      eta\n      product {\n        sku\n      }\n    }\n    product {\n      sku\n      version\n    }\n  }\n}": typeof types.AddBatchInFullDocument,
    "mutation AddBatchAnsweringProduct($input: AddBatchInput!) {\n  addBatch(input: $input) {\n    product {\n      sku\n      version\n    }\n  }\n}": typeof types.AddBatchAnsweringProductDocument,
    "query ProductFirstBatches($sku: String!) {\n  product(sku: $sku) {\n    sku\n    description\n    version\n    createdAt\n    batches {\n      totalCount\n      edges {\n        node {\n          reference\n          purchasedQuantity\n          eta\n        }\n      }\n    }\n  }\n}": typeof types.ProductFirstBatchesDocument,
};
const documents: Documents = {
    "\n  query Stock($sku: String!) {\n    product(sku: $sku) {\n      version\n      availableQuantity\n      batches(first: 100) {\n        edges {\n          node {\n            reference\n            purchasedQuantity\n            allocatedQuantity\n            availableQuantity\n          }\n        }\n      }\n    }\n  }\n": types.StockDocument,
    "\n  query AttackProductSku($sku: String!) {\n    product(sku: $sku) {\n      sku\n    }\n  }\n": types.AttackProductSkuDocument,
    "\n  query AttackSkus {\n    products(first: 100) {\n      totalCount\n      edges {\n        node {\n          sku\n        }\n      }\n    }\n  }\n": types.AttackSkusDocument,
    "\n  query ConnectionsFirstBatchCursorOf($sku: String!) {\n    product(sku: $sku) {\n      batches(first: 1) {\n        edges {\n          cursor\n        }\n      }\n    }\n  }\n": types.ConnectionsFirstBatchCursorOfDocument,
    "\n  query ConnectionsBatchesPage($first: Int, $after: String, $last: Int, $before: String) {\n    product(sku: \"MS-P\") {\n      batches(first: $first, after: $after, last: $last, before: $before) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          hasPreviousPage\n          startCursor\n          endCursor\n        }\n        edges {\n          cursor\n          node {\n            sku: reference\n          }\n        }\n      }\n    }\n  }\n": types.ConnectionsBatchesPageDocument,
    "\n  mutation DatabaseUnavailableLogIn {\n    logIn(input: { email: \"admin@kingdom.local\", password: \"kingdom-admin\" }) {\n      accessToken\n    }\n  }\n": types.DatabaseUnavailableLogInDocument,
    "\n  query DevProbeType {\n    __type(name: \"DevProbe\") {\n      name\n    }\n  }\n": types.DevProbeTypeDocument,
    "\n  query ExpectedVersionProduct($sku: String!) {\n    product(sku: $sku) {\n      version\n      availableQuantity\n      batches {\n        edges {\n          node {\n            reference\n            purchasedQuantity\n            allocatedQuantity\n          }\n        }\n      }\n    }\n  }\n": types.ExpectedVersionProductDocument,
    "\n  query ExpectedVersionRoles {\n    roles(first: 100) {\n      edges {\n        node {\n          name\n          version\n          policies {\n            resource\n            actions\n            selectors\n          }\n        }\n      }\n    }\n  }\n": types.ExpectedVersionRolesDocument,
    "\n  query FailedJobsPage($first: Int, $after: String, $last: Int, $before: String) {\n    failedJobs(first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      edges {\n        cursor\n        node {\n          jobId\n          task\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n": types.FailedJobsPageDocument,
    "\n      query FailedJobsProductCursor {\n        products(first: 1) {\n          pageInfo {\n            endCursor\n          }\n        }\n      }\n    ": types.FailedJobsProductCursorDocument,
    "\n          query NodesProductIds {\n            product(sku: \"NODE-P1\") {\n              id\n              batches {\n                edges {\n                  node {\n                    id\n                  }\n                }\n              }\n            }\n          }\n        ": types.NodesProductIdsDocument,
    "mutation AddBatch($input: AddBatchInput!) {\n  addBatch(input: $input) {\n    batch {\n      reference\n      sku\n      purchasedQuantity\n      eta\n    }\n    product {\n      sku\n      version\n    }\n  }\n}": types.AddBatchDocument,
    "mutation Allocate($input: AllocateInput!) {\n  allocate(input: $input) {\n    batchReference\n    batch {\n      reference\n      purchasedQuantity\n      allocatedQuantity\n      availableQuantity\n    }\n  }\n}": types.AllocateDocument,
    "query Allocations($orderId: String!) {\n  allocations(orderId: $orderId) {\n    orderId\n    sku\n    batchReference\n    batch {\n      reference\n      sku\n    }\n  }\n}": types.AllocationsDocument,
    "mutation ChangeBatchQuantity($input: ChangeBatchQuantityInput!) {\n  changeBatchQuantity(input: $input) {\n    batch {\n      reference\n      purchasedQuantity\n      allocatedQuantity\n      availableQuantity\n    }\n    product {\n      sku\n      version\n    }\n  }\n}": types.ChangeBatchQuantityDocument,
    "mutation ChangePassword($input: ChangePasswordInput!) {\n  changePassword(input: $input)\n}": types.ChangePasswordDocument,
    "mutation Deallocate($input: DeallocateInput!) {\n  deallocate(input: $input) {\n    batchReference\n  }\n}": types.DeallocateDocument,
    "mutation LogIn($input: LogInInput!) {\n  logIn(input: $input) {\n    accessToken\n    refreshToken\n    expiresIn\n    user {\n      id\n      email\n    }\n  }\n}": types.LogInDocument,
    "mutation LogOut($input: LogOutInput!) {\n  logOut(input: $input)\n}": types.LogOutDocument,
    "query Node($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on Product {\n      sku\n      description\n    }\n    ... on Batch {\n      reference\n      sku\n      purchasedQuantity\n    }\n    ... on User {\n      email\n      name\n    }\n  }\n}": types.NodeDocument,
    "query Nodes($ids: [ID!]!) {\n  nodes(ids: $ids) {\n    __typename\n    id\n    ... on Product {\n      sku\n    }\n    ... on Batch {\n      reference\n    }\n    ... on User {\n      email\n    }\n  }\n}": types.NodesDocument,
    "query Product($sku: String!) {\n  product(sku: $sku) {\n    sku\n    description\n    version\n    createdAt\n    batches(first: 100) {\n      totalCount\n      edges {\n        node {\n          reference\n          purchasedQuantity\n          eta\n          createdAt\n          product {\n            sku\n          }\n        }\n      }\n    }\n  }\n}": types.ProductDocument,
    "query Products($first: Int, $after: String, $last: Int, $before: String, $orderBy: ProductOrder) {\n  products(\n    first: $first\n    after: $after\n    last: $last\n    before: $before\n    orderBy: $orderBy\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      hasPreviousPage\n      startCursor\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        sku\n      }\n    }\n  }\n}": types.ProductsDocument,
    "mutation RefreshSession($input: RefreshSessionInput!) {\n  refreshSession(input: $input) {\n    accessToken\n    refreshToken\n    expiresIn\n    user {\n      id\n    }\n  }\n}": types.RefreshSessionDocument,
    "mutation RequestPasswordReset($input: RequestPasswordResetInput!) {\n  requestPasswordReset(input: $input)\n}": types.RequestPasswordResetDocument,
    "mutation ResetPassword($input: ResetPasswordInput!) {\n  resetPassword(input: $input) {\n    accessToken\n    refreshToken\n    expiresIn\n    user {\n      id\n      email\n    }\n  }\n}": types.ResetPasswordDocument,
    "mutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    accessToken\n    refreshToken\n    expiresIn\n    user {\n      id\n      email\n      name\n      roles {\n        name\n      }\n      createdAt\n    }\n  }\n}": types.SignUpDocument,
    "query Viewer {\n  viewer {\n    id\n    email\n    name\n    roles {\n      name\n    }\n  }\n}": types.ViewerDocument,
    "\n          query OwnershipRoles {\n            roles(first: 100) {\n              totalCount\n              edges {\n                node {\n                  name\n                  builtIn\n                  policies {\n                    resource\n                    actions\n                    selectors\n                  }\n                }\n              }\n            }\n          }\n        ": types.OwnershipRolesDocument,
    "\n          query OwnershipUserCount {\n            users {\n              totalCount\n            }\n          }\n        ": types.OwnershipUserCountDocument,
    "\n  query ResetTokenFailedJobs {\n    failedJobs {\n      edges {\n        node {\n          task\n          payload\n          lastError\n        }\n      }\n    }\n  }\n": types.ResetTokenFailedJobsDocument,
    "\n    query WorkerFailedJobs {\n      failedJobs {\n        edges {\n          node {\n            jobId\n            task\n            payload\n            attempts\n            maxAttempts\n            lastError\n            createdAt\n            failedAt\n          }\n        }\n      }\n    }\n  ": types.WorkerFailedJobsDocument,
    "\n        query ConnectionsFirstBatchCursor {\n          product(sku: \"P00\") {\n            batches(first: 1) {\n              edges {\n                cursor\n              }\n            }\n          }\n        }\n      ": types.ConnectionsFirstBatchCursorDocument,
    "mutation AddBatchInFull($input: AddBatchInput!) {\n  addBatch(input: $input) {\n    batch {\n      reference\n      sku\n      purchasedQuantity\n      eta\n      product {\n        sku\n      }\n    }\n    product {\n      sku\n      version\n    }\n  }\n}": types.AddBatchInFullDocument,
    "mutation AddBatchAnsweringProduct($input: AddBatchInput!) {\n  addBatch(input: $input) {\n    product {\n      sku\n      version\n    }\n  }\n}": types.AddBatchAnsweringProductDocument,
    "query ProductFirstBatches($sku: String!) {\n  product(sku: $sku) {\n    sku\n    description\n    version\n    createdAt\n    batches {\n      totalCount\n      edges {\n        node {\n          reference\n          purchasedQuantity\n          eta\n        }\n      }\n    }\n  }\n}": types.ProductFirstBatchesDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Stock($sku: String!) {\n    product(sku: $sku) {\n      version\n      availableQuantity\n      batches(first: 100) {\n        edges {\n          node {\n            reference\n            purchasedQuantity\n            allocatedQuantity\n            availableQuantity\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Stock($sku: String!) {\n    product(sku: $sku) {\n      version\n      availableQuantity\n      batches(first: 100) {\n        edges {\n          node {\n            reference\n            purchasedQuantity\n            allocatedQuantity\n            availableQuantity\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AttackProductSku($sku: String!) {\n    product(sku: $sku) {\n      sku\n    }\n  }\n"): (typeof documents)["\n  query AttackProductSku($sku: String!) {\n    product(sku: $sku) {\n      sku\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AttackSkus {\n    products(first: 100) {\n      totalCount\n      edges {\n        node {\n          sku\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AttackSkus {\n    products(first: 100) {\n      totalCount\n      edges {\n        node {\n          sku\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConnectionsFirstBatchCursorOf($sku: String!) {\n    product(sku: $sku) {\n      batches(first: 1) {\n        edges {\n          cursor\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConnectionsFirstBatchCursorOf($sku: String!) {\n    product(sku: $sku) {\n      batches(first: 1) {\n        edges {\n          cursor\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConnectionsBatchesPage($first: Int, $after: String, $last: Int, $before: String) {\n    product(sku: \"MS-P\") {\n      batches(first: $first, after: $after, last: $last, before: $before) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          hasPreviousPage\n          startCursor\n          endCursor\n        }\n        edges {\n          cursor\n          node {\n            sku: reference\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConnectionsBatchesPage($first: Int, $after: String, $last: Int, $before: String) {\n    product(sku: \"MS-P\") {\n      batches(first: $first, after: $after, last: $last, before: $before) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          hasPreviousPage\n          startCursor\n          endCursor\n        }\n        edges {\n          cursor\n          node {\n            sku: reference\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DatabaseUnavailableLogIn {\n    logIn(input: { email: \"admin@kingdom.local\", password: \"kingdom-admin\" }) {\n      accessToken\n    }\n  }\n"): (typeof documents)["\n  mutation DatabaseUnavailableLogIn {\n    logIn(input: { email: \"admin@kingdom.local\", password: \"kingdom-admin\" }) {\n      accessToken\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DevProbeType {\n    __type(name: \"DevProbe\") {\n      name\n    }\n  }\n"): (typeof documents)["\n  query DevProbeType {\n    __type(name: \"DevProbe\") {\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExpectedVersionProduct($sku: String!) {\n    product(sku: $sku) {\n      version\n      availableQuantity\n      batches {\n        edges {\n          node {\n            reference\n            purchasedQuantity\n            allocatedQuantity\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ExpectedVersionProduct($sku: String!) {\n    product(sku: $sku) {\n      version\n      availableQuantity\n      batches {\n        edges {\n          node {\n            reference\n            purchasedQuantity\n            allocatedQuantity\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExpectedVersionRoles {\n    roles(first: 100) {\n      edges {\n        node {\n          name\n          version\n          policies {\n            resource\n            actions\n            selectors\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ExpectedVersionRoles {\n    roles(first: 100) {\n      edges {\n        node {\n          name\n          version\n          policies {\n            resource\n            actions\n            selectors\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FailedJobsPage($first: Int, $after: String, $last: Int, $before: String) {\n    failedJobs(first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      edges {\n        cursor\n        node {\n          jobId\n          task\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query FailedJobsPage($first: Int, $after: String, $last: Int, $before: String) {\n    failedJobs(first: $first, after: $after, last: $last, before: $before) {\n      totalCount\n      edges {\n        cursor\n        node {\n          jobId\n          task\n        }\n      }\n      pageInfo {\n        hasNextPage\n        hasPreviousPage\n        startCursor\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n      query FailedJobsProductCursor {\n        products(first: 1) {\n          pageInfo {\n            endCursor\n          }\n        }\n      }\n    "): (typeof documents)["\n      query FailedJobsProductCursor {\n        products(first: 1) {\n          pageInfo {\n            endCursor\n          }\n        }\n      }\n    "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n          query NodesProductIds {\n            product(sku: \"NODE-P1\") {\n              id\n              batches {\n                edges {\n                  node {\n                    id\n                  }\n                }\n              }\n            }\n          }\n        "): (typeof documents)["\n          query NodesProductIds {\n            product(sku: \"NODE-P1\") {\n              id\n              batches {\n                edges {\n                  node {\n                    id\n                  }\n                }\n              }\n            }\n          }\n        "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation AddBatch($input: AddBatchInput!) {\n  addBatch(input: $input) {\n    batch {\n      reference\n      sku\n      purchasedQuantity\n      eta\n    }\n    product {\n      sku\n      version\n    }\n  }\n}"): (typeof documents)["mutation AddBatch($input: AddBatchInput!) {\n  addBatch(input: $input) {\n    batch {\n      reference\n      sku\n      purchasedQuantity\n      eta\n    }\n    product {\n      sku\n      version\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Allocate($input: AllocateInput!) {\n  allocate(input: $input) {\n    batchReference\n    batch {\n      reference\n      purchasedQuantity\n      allocatedQuantity\n      availableQuantity\n    }\n  }\n}"): (typeof documents)["mutation Allocate($input: AllocateInput!) {\n  allocate(input: $input) {\n    batchReference\n    batch {\n      reference\n      purchasedQuantity\n      allocatedQuantity\n      availableQuantity\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Allocations($orderId: String!) {\n  allocations(orderId: $orderId) {\n    orderId\n    sku\n    batchReference\n    batch {\n      reference\n      sku\n    }\n  }\n}"): (typeof documents)["query Allocations($orderId: String!) {\n  allocations(orderId: $orderId) {\n    orderId\n    sku\n    batchReference\n    batch {\n      reference\n      sku\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ChangeBatchQuantity($input: ChangeBatchQuantityInput!) {\n  changeBatchQuantity(input: $input) {\n    batch {\n      reference\n      purchasedQuantity\n      allocatedQuantity\n      availableQuantity\n    }\n    product {\n      sku\n      version\n    }\n  }\n}"): (typeof documents)["mutation ChangeBatchQuantity($input: ChangeBatchQuantityInput!) {\n  changeBatchQuantity(input: $input) {\n    batch {\n      reference\n      purchasedQuantity\n      allocatedQuantity\n      availableQuantity\n    }\n    product {\n      sku\n      version\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ChangePassword($input: ChangePasswordInput!) {\n  changePassword(input: $input)\n}"): (typeof documents)["mutation ChangePassword($input: ChangePasswordInput!) {\n  changePassword(input: $input)\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Deallocate($input: DeallocateInput!) {\n  deallocate(input: $input) {\n    batchReference\n  }\n}"): (typeof documents)["mutation Deallocate($input: DeallocateInput!) {\n  deallocate(input: $input) {\n    batchReference\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation LogIn($input: LogInInput!) {\n  logIn(input: $input) {\n    accessToken\n    refreshToken\n    expiresIn\n    user {\n      id\n      email\n    }\n  }\n}"): (typeof documents)["mutation LogIn($input: LogInInput!) {\n  logIn(input: $input) {\n    accessToken\n    refreshToken\n    expiresIn\n    user {\n      id\n      email\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation LogOut($input: LogOutInput!) {\n  logOut(input: $input)\n}"): (typeof documents)["mutation LogOut($input: LogOutInput!) {\n  logOut(input: $input)\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Node($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on Product {\n      sku\n      description\n    }\n    ... on Batch {\n      reference\n      sku\n      purchasedQuantity\n    }\n    ... on User {\n      email\n      name\n    }\n  }\n}"): (typeof documents)["query Node($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on Product {\n      sku\n      description\n    }\n    ... on Batch {\n      reference\n      sku\n      purchasedQuantity\n    }\n    ... on User {\n      email\n      name\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Nodes($ids: [ID!]!) {\n  nodes(ids: $ids) {\n    __typename\n    id\n    ... on Product {\n      sku\n    }\n    ... on Batch {\n      reference\n    }\n    ... on User {\n      email\n    }\n  }\n}"): (typeof documents)["query Nodes($ids: [ID!]!) {\n  nodes(ids: $ids) {\n    __typename\n    id\n    ... on Product {\n      sku\n    }\n    ... on Batch {\n      reference\n    }\n    ... on User {\n      email\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Product($sku: String!) {\n  product(sku: $sku) {\n    sku\n    description\n    version\n    createdAt\n    batches(first: 100) {\n      totalCount\n      edges {\n        node {\n          reference\n          purchasedQuantity\n          eta\n          createdAt\n          product {\n            sku\n          }\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query Product($sku: String!) {\n  product(sku: $sku) {\n    sku\n    description\n    version\n    createdAt\n    batches(first: 100) {\n      totalCount\n      edges {\n        node {\n          reference\n          purchasedQuantity\n          eta\n          createdAt\n          product {\n            sku\n          }\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Products($first: Int, $after: String, $last: Int, $before: String, $orderBy: ProductOrder) {\n  products(\n    first: $first\n    after: $after\n    last: $last\n    before: $before\n    orderBy: $orderBy\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      hasPreviousPage\n      startCursor\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        sku\n      }\n    }\n  }\n}"): (typeof documents)["query Products($first: Int, $after: String, $last: Int, $before: String, $orderBy: ProductOrder) {\n  products(\n    first: $first\n    after: $after\n    last: $last\n    before: $before\n    orderBy: $orderBy\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      hasPreviousPage\n      startCursor\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        sku\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RefreshSession($input: RefreshSessionInput!) {\n  refreshSession(input: $input) {\n    accessToken\n    refreshToken\n    expiresIn\n    user {\n      id\n    }\n  }\n}"): (typeof documents)["mutation RefreshSession($input: RefreshSessionInput!) {\n  refreshSession(input: $input) {\n    accessToken\n    refreshToken\n    expiresIn\n    user {\n      id\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RequestPasswordReset($input: RequestPasswordResetInput!) {\n  requestPasswordReset(input: $input)\n}"): (typeof documents)["mutation RequestPasswordReset($input: RequestPasswordResetInput!) {\n  requestPasswordReset(input: $input)\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ResetPassword($input: ResetPasswordInput!) {\n  resetPassword(input: $input) {\n    accessToken\n    refreshToken\n    expiresIn\n    user {\n      id\n      email\n    }\n  }\n}"): (typeof documents)["mutation ResetPassword($input: ResetPasswordInput!) {\n  resetPassword(input: $input) {\n    accessToken\n    refreshToken\n    expiresIn\n    user {\n      id\n      email\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    accessToken\n    refreshToken\n    expiresIn\n    user {\n      id\n      email\n      name\n      roles {\n        name\n      }\n      createdAt\n    }\n  }\n}"): (typeof documents)["mutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    accessToken\n    refreshToken\n    expiresIn\n    user {\n      id\n      email\n      name\n      roles {\n        name\n      }\n      createdAt\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Viewer {\n  viewer {\n    id\n    email\n    name\n    roles {\n      name\n    }\n  }\n}"): (typeof documents)["query Viewer {\n  viewer {\n    id\n    email\n    name\n    roles {\n      name\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n          query OwnershipRoles {\n            roles(first: 100) {\n              totalCount\n              edges {\n                node {\n                  name\n                  builtIn\n                  policies {\n                    resource\n                    actions\n                    selectors\n                  }\n                }\n              }\n            }\n          }\n        "): (typeof documents)["\n          query OwnershipRoles {\n            roles(first: 100) {\n              totalCount\n              edges {\n                node {\n                  name\n                  builtIn\n                  policies {\n                    resource\n                    actions\n                    selectors\n                  }\n                }\n              }\n            }\n          }\n        "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n          query OwnershipUserCount {\n            users {\n              totalCount\n            }\n          }\n        "): (typeof documents)["\n          query OwnershipUserCount {\n            users {\n              totalCount\n            }\n          }\n        "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ResetTokenFailedJobs {\n    failedJobs {\n      edges {\n        node {\n          task\n          payload\n          lastError\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ResetTokenFailedJobs {\n    failedJobs {\n      edges {\n        node {\n          task\n          payload\n          lastError\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n    query WorkerFailedJobs {\n      failedJobs {\n        edges {\n          node {\n            jobId\n            task\n            payload\n            attempts\n            maxAttempts\n            lastError\n            createdAt\n            failedAt\n          }\n        }\n      }\n    }\n  "): (typeof documents)["\n    query WorkerFailedJobs {\n      failedJobs {\n        edges {\n          node {\n            jobId\n            task\n            payload\n            attempts\n            maxAttempts\n            lastError\n            createdAt\n            failedAt\n          }\n        }\n      }\n    }\n  "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n        query ConnectionsFirstBatchCursor {\n          product(sku: \"P00\") {\n            batches(first: 1) {\n              edges {\n                cursor\n              }\n            }\n          }\n        }\n      "): (typeof documents)["\n        query ConnectionsFirstBatchCursor {\n          product(sku: \"P00\") {\n            batches(first: 1) {\n              edges {\n                cursor\n              }\n            }\n          }\n        }\n      "];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation AddBatchInFull($input: AddBatchInput!) {\n  addBatch(input: $input) {\n    batch {\n      reference\n      sku\n      purchasedQuantity\n      eta\n      product {\n        sku\n      }\n    }\n    product {\n      sku\n      version\n    }\n  }\n}"): (typeof documents)["mutation AddBatchInFull($input: AddBatchInput!) {\n  addBatch(input: $input) {\n    batch {\n      reference\n      sku\n      purchasedQuantity\n      eta\n      product {\n        sku\n      }\n    }\n    product {\n      sku\n      version\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation AddBatchAnsweringProduct($input: AddBatchInput!) {\n  addBatch(input: $input) {\n    product {\n      sku\n      version\n    }\n  }\n}"): (typeof documents)["mutation AddBatchAnsweringProduct($input: AddBatchInput!) {\n  addBatch(input: $input) {\n    product {\n      sku\n      version\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ProductFirstBatches($sku: String!) {\n  product(sku: $sku) {\n    sku\n    description\n    version\n    createdAt\n    batches {\n      totalCount\n      edges {\n        node {\n          reference\n          purchasedQuantity\n          eta\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query ProductFirstBatches($sku: String!) {\n  product(sku: $sku) {\n    sku\n    description\n    version\n    createdAt\n    batches {\n      totalCount\n      edges {\n        node {\n          reference\n          purchasedQuantity\n          eta\n        }\n      }\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;
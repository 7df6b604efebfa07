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
    "mutation LogIn($email: String!, $password: String!) {\n  logIn(input: {email: $email, password: $password}) {\n    accessToken\n    refreshToken\n    expiresIn\n    user {\n      id\n      email\n      roles {\n        name\n      }\n    }\n  }\n}": typeof types.LogInDocument,
    "query Viewer {\n  viewer {\n    id\n    email\n    name\n    createdAt\n    roles {\n      name\n      builtIn\n      policies {\n        resource\n        actions\n        selectors\n      }\n    }\n  }\n}": typeof types.ViewerDocument,
    "mutation AddBatch($input: AddBatchInput!) {\n  addBatch(input: $input) {\n    batch {\n      id\n      reference\n      sku\n      purchasedQuantity\n      allocatedQuantity\n      availableQuantity\n      eta\n    }\n    product {\n      id\n      sku\n      version\n      availableQuantity\n    }\n  }\n}": typeof types.AddBatchDocument,
    "mutation Allocate($input: AllocateInput!) {\n  allocate(input: $input) {\n    batchReference\n    batch {\n      reference\n      purchasedQuantity\n      allocatedQuantity\n      availableQuantity\n      product {\n        sku\n        version\n        availableQuantity\n      }\n    }\n  }\n}": typeof types.AllocateDocument,
    "query Allocations($orderId: String!) {\n  allocations(orderId: $orderId) {\n    orderId\n    sku\n    batchReference\n    batch {\n      reference\n      eta\n      availableQuantity\n    }\n  }\n}": typeof types.AllocationsDocument,
    "query ProductsPage($first: Int, $after: String, $last: Int, $before: String, $orderBy: ProductOrder) {\n  products(\n    first: $first\n    after: $after\n    last: $last\n    before: $before\n    orderBy: $orderBy\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      hasPreviousPage\n      startCursor\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        sku\n        version\n        availableQuantity\n        batches(first: 5) {\n          totalCount\n          edges {\n            node {\n              reference\n              purchasedQuantity\n              allocatedQuantity\n              eta\n            }\n          }\n        }\n      }\n    }\n  }\n}": typeof types.ProductsPageDocument,
    "query Node($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on Product {\n      sku\n      availableQuantity\n    }\n    ... on Batch {\n      reference\n      sku\n      eta\n    }\n    ... on User {\n      email\n      name\n    }\n  }\n}": typeof types.NodeDocument,
    "query Nodes($ids: [ID!]!) {\n  nodes(ids: $ids) {\n    __typename\n    id\n    ... on Product {\n      sku\n    }\n    ... on Batch {\n      reference\n      purchasedQuantity\n    }\n  }\n}": typeof types.NodesDocument,
    "mutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    accessToken\n    user {\n      id\n      email\n      name\n      roles {\n        name\n      }\n    }\n  }\n}": typeof types.SignUpDocument,
    "mutation CreateRole($input: CreateRoleInput!) {\n  createRole(input: $input) {\n    role {\n      name\n      builtIn\n      policies {\n        resource\n        actions\n        selectors\n      }\n    }\n  }\n}": typeof types.CreateRoleDocument,
    "mutation GrantRole($input: GrantRoleInput!) {\n  grantRole(input: $input) {\n    user {\n      id\n      email\n      roles {\n        name\n      }\n    }\n    role {\n      name\n    }\n  }\n}": typeof types.GrantRoleDocument,
    "query Users($first: Int, $after: String) {\n  users(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        email\n        name\n        createdAt\n        roles {\n          name\n        }\n      }\n    }\n  }\n}": typeof types.UsersDocument,
    "query Roles($first: Int, $after: String) {\n  roles(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        name\n        builtIn\n        policies {\n          resource\n          actions\n          selectors\n        }\n      }\n    }\n  }\n}": typeof types.RolesDocument,
    "query FailedJobs($first: Int, $after: String) {\n  failedJobs(first: $first, after: $after) {\n    totalCount\n    edges {\n      node {\n        jobId\n        task\n        attempts\n        maxAttempts\n        lastError\n        createdAt\n        failedAt\n        payload\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.FailedJobsDocument,
};
const documents: Documents = {
    "mutation LogIn($email: String!, $password: String!) {\n  logIn(input: {email: $email, password: $password}) {\n    accessToken\n    refreshToken\n    expiresIn\n    user {\n      id\n      email\n      roles {\n        name\n      }\n    }\n  }\n}": types.LogInDocument,
    "query Viewer {\n  viewer {\n    id\n    email\n    name\n    createdAt\n    roles {\n      name\n      builtIn\n      policies {\n        resource\n        actions\n        selectors\n      }\n    }\n  }\n}": types.ViewerDocument,
    "mutation AddBatch($input: AddBatchInput!) {\n  addBatch(input: $input) {\n    batch {\n      id\n      reference\n      sku\n      purchasedQuantity\n      allocatedQuantity\n      availableQuantity\n      eta\n    }\n    product {\n      id\n      sku\n      version\n      availableQuantity\n    }\n  }\n}": types.AddBatchDocument,
    "mutation Allocate($input: AllocateInput!) {\n  allocate(input: $input) {\n    batchReference\n    batch {\n      reference\n      purchasedQuantity\n      allocatedQuantity\n      availableQuantity\n      product {\n        sku\n        version\n        availableQuantity\n      }\n    }\n  }\n}": types.AllocateDocument,
    "query Allocations($orderId: String!) {\n  allocations(orderId: $orderId) {\n    orderId\n    sku\n    batchReference\n    batch {\n      reference\n      eta\n      availableQuantity\n    }\n  }\n}": types.AllocationsDocument,
    "query ProductsPage($first: Int, $after: String, $last: Int, $before: String, $orderBy: ProductOrder) {\n  products(\n    first: $first\n    after: $after\n    last: $last\n    before: $before\n    orderBy: $orderBy\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      hasPreviousPage\n      startCursor\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        sku\n        version\n        availableQuantity\n        batches(first: 5) {\n          totalCount\n          edges {\n            node {\n              reference\n              purchasedQuantity\n              allocatedQuantity\n              eta\n            }\n          }\n        }\n      }\n    }\n  }\n}": types.ProductsPageDocument,
    "query Node($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on Product {\n      sku\n      availableQuantity\n    }\n    ... on Batch {\n      reference\n      sku\n      eta\n    }\n    ... on User {\n      email\n      name\n    }\n  }\n}": types.NodeDocument,
    "query Nodes($ids: [ID!]!) {\n  nodes(ids: $ids) {\n    __typename\n    id\n    ... on Product {\n      sku\n    }\n    ... on Batch {\n      reference\n      purchasedQuantity\n    }\n  }\n}": types.NodesDocument,
    "mutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    accessToken\n    user {\n      id\n      email\n      name\n      roles {\n        name\n      }\n    }\n  }\n}": types.SignUpDocument,
    "mutation CreateRole($input: CreateRoleInput!) {\n  createRole(input: $input) {\n    role {\n      name\n      builtIn\n      policies {\n        resource\n        actions\n        selectors\n      }\n    }\n  }\n}": types.CreateRoleDocument,
    "mutation GrantRole($input: GrantRoleInput!) {\n  grantRole(input: $input) {\n    user {\n      id\n      email\n      roles {\n        name\n      }\n    }\n    role {\n      name\n    }\n  }\n}": types.GrantRoleDocument,
    "query Users($first: Int, $after: String) {\n  users(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        email\n        name\n        createdAt\n        roles {\n          name\n        }\n      }\n    }\n  }\n}": types.UsersDocument,
    "query Roles($first: Int, $after: String) {\n  roles(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        name\n        builtIn\n        policies {\n          resource\n          actions\n          selectors\n        }\n      }\n    }\n  }\n}": types.RolesDocument,
    "query FailedJobs($first: Int, $after: String) {\n  failedJobs(first: $first, after: $after) {\n    totalCount\n    edges {\n      node {\n        jobId\n        task\n        attempts\n        maxAttempts\n        lastError\n        createdAt\n        failedAt\n        payload\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.FailedJobsDocument,
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
export function graphql(source: "mutation LogIn($email: String!, $password: String!) {\n  logIn(input: {email: $email, password: $password}) {\n    accessToken\n    refreshToken\n    expiresIn\n    user {\n      id\n      email\n      roles {\n        name\n      }\n    }\n  }\n}"): (typeof documents)["mutation LogIn($email: String!, $password: String!) {\n  logIn(input: {email: $email, password: $password}) {\n    accessToken\n    refreshToken\n    expiresIn\n    user {\n      id\n      email\n      roles {\n        name\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Viewer {\n  viewer {\n    id\n    email\n    name\n    createdAt\n    roles {\n      name\n      builtIn\n      policies {\n        resource\n        actions\n        selectors\n      }\n    }\n  }\n}"): (typeof documents)["query Viewer {\n  viewer {\n    id\n    email\n    name\n    createdAt\n    roles {\n      name\n      builtIn\n      policies {\n        resource\n        actions\n        selectors\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation AddBatch($input: AddBatchInput!) {\n  addBatch(input: $input) {\n    batch {\n      id\n      reference\n      sku\n      purchasedQuantity\n      allocatedQuantity\n      availableQuantity\n      eta\n    }\n    product {\n      id\n      sku\n      version\n      availableQuantity\n    }\n  }\n}"): (typeof documents)["mutation AddBatch($input: AddBatchInput!) {\n  addBatch(input: $input) {\n    batch {\n      id\n      reference\n      sku\n      purchasedQuantity\n      allocatedQuantity\n      availableQuantity\n      eta\n    }\n    product {\n      id\n      sku\n      version\n      availableQuantity\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Allocate($input: AllocateInput!) {\n  allocate(input: $input) {\n    batchReference\n    batch {\n      reference\n      purchasedQuantity\n      allocatedQuantity\n      availableQuantity\n      product {\n        sku\n        version\n        availableQuantity\n      }\n    }\n  }\n}"): (typeof documents)["mutation Allocate($input: AllocateInput!) {\n  allocate(input: $input) {\n    batchReference\n    batch {\n      reference\n      purchasedQuantity\n      allocatedQuantity\n      availableQuantity\n      product {\n        sku\n        version\n        availableQuantity\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Allocations($orderId: String!) {\n  allocations(orderId: $orderId) {\n    orderId\n    sku\n    batchReference\n    batch {\n      reference\n      eta\n      availableQuantity\n    }\n  }\n}"): (typeof documents)["query Allocations($orderId: String!) {\n  allocations(orderId: $orderId) {\n    orderId\n    sku\n    batchReference\n    batch {\n      reference\n      eta\n      availableQuantity\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ProductsPage($first: Int, $after: String, $last: Int, $before: String, $orderBy: ProductOrder) {\n  products(\n    first: $first\n    after: $after\n    last: $last\n    before: $before\n    orderBy: $orderBy\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      hasPreviousPage\n      startCursor\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        sku\n        version\n        availableQuantity\n        batches(first: 5) {\n          totalCount\n          edges {\n            node {\n              reference\n              purchasedQuantity\n              allocatedQuantity\n              eta\n            }\n          }\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query ProductsPage($first: Int, $after: String, $last: Int, $before: String, $orderBy: ProductOrder) {\n  products(\n    first: $first\n    after: $after\n    last: $last\n    before: $before\n    orderBy: $orderBy\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      hasPreviousPage\n      startCursor\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        sku\n        version\n        availableQuantity\n        batches(first: 5) {\n          totalCount\n          edges {\n            node {\n              reference\n              purchasedQuantity\n              allocatedQuantity\n              eta\n            }\n          }\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Node($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on Product {\n      sku\n      availableQuantity\n    }\n    ... on Batch {\n      reference\n      sku\n      eta\n    }\n    ... on User {\n      email\n      name\n    }\n  }\n}"): (typeof documents)["query Node($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on Product {\n      sku\n      availableQuantity\n    }\n    ... on Batch {\n      reference\n      sku\n      eta\n    }\n    ... on User {\n      email\n      name\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Nodes($ids: [ID!]!) {\n  nodes(ids: $ids) {\n    __typename\n    id\n    ... on Product {\n      sku\n    }\n    ... on Batch {\n      reference\n      purchasedQuantity\n    }\n  }\n}"): (typeof documents)["query Nodes($ids: [ID!]!) {\n  nodes(ids: $ids) {\n    __typename\n    id\n    ... on Product {\n      sku\n    }\n    ... on Batch {\n      reference\n      purchasedQuantity\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    accessToken\n    user {\n      id\n      email\n      name\n      roles {\n        name\n      }\n    }\n  }\n}"): (typeof documents)["mutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    accessToken\n    user {\n      id\n      email\n      name\n      roles {\n        name\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateRole($input: CreateRoleInput!) {\n  createRole(input: $input) {\n    role {\n      name\n      builtIn\n      policies {\n        resource\n        actions\n        selectors\n      }\n    }\n  }\n}"): (typeof documents)["mutation CreateRole($input: CreateRoleInput!) {\n  createRole(input: $input) {\n    role {\n      name\n      builtIn\n      policies {\n        resource\n        actions\n        selectors\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation GrantRole($input: GrantRoleInput!) {\n  grantRole(input: $input) {\n    user {\n      id\n      email\n      roles {\n        name\n      }\n    }\n    role {\n      name\n    }\n  }\n}"): (typeof documents)["mutation GrantRole($input: GrantRoleInput!) {\n  grantRole(input: $input) {\n    user {\n      id\n      email\n      roles {\n        name\n      }\n    }\n    role {\n      name\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Users($first: Int, $after: String) {\n  users(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        email\n        name\n        createdAt\n        roles {\n          name\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query Users($first: Int, $after: String) {\n  users(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        email\n        name\n        createdAt\n        roles {\n          name\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Roles($first: Int, $after: String) {\n  roles(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        name\n        builtIn\n        policies {\n          resource\n          actions\n          selectors\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query Roles($first: Int, $after: String) {\n  roles(first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        name\n        builtIn\n        policies {\n          resource\n          actions\n          selectors\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query FailedJobs($first: Int, $after: String) {\n  failedJobs(first: $first, after: $after) {\n    totalCount\n    edges {\n      node {\n        jobId\n        task\n        attempts\n        maxAttempts\n        lastError\n        createdAt\n        failedAt\n        payload\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): (typeof documents)["query FailedJobs($first: Int, $after: String) {\n  failedJobs(first: $first, after: $after) {\n    totalCount\n    edges {\n      node {\n        jobId\n        task\n        attempts\n        maxAttempts\n        lastError\n        createdAt\n        failedAt\n        payload\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;
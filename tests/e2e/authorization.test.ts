/**
 * Authorization over HTTP on real Postgres (issue 4): the matrix of every guarded field against five callers,
 * derived from the schema so a new field cannot ship without a row; two suppliers who must never see each
 * other's products, by any path; and changes to roles that apply on the caller's very next request.
 */
import { jest } from '@jest/globals';
import { getDirective } from '@graphql-tools/utils';
import { isObjectType } from 'graphql';
import { toGlobalId } from 'graphql-relay';
import { buildSchema } from '../../src/platform/graphql/schema.ts';
import { startTestServer, type GraphQLResponse, type TestServer } from './support/server.ts';

jest.setTimeout(60_000);

type Policy = { resource: string; actions: string[]; selectors: string[] };
type Caller = 'anonymous' | 'noRole' | 'scoped' | 'star' | 'admin';
const CALLERS: readonly Caller[] = ['anonymous', 'noRole', 'scoped', 'star', 'admin'];

const ALL_ACTIONS = ['READ', 'CREATE', 'UPDATE', 'DELETE'];
const PASSWORD = 'authorization test password';

let server: TestServer;
const headers: Partial<Record<Caller, Record<string, string>>> = {};
const userIds: Record<string, string> = {};

const data = (response: GraphQLResponse): Record<string, unknown> => {
  if (response.status !== 200 || response.body.errors) throw new Error(JSON.stringify(response.body));
  return response.body.data ?? {};
};

const as = (caller: Caller, query: string, variables?: Record<string, unknown>) =>
  caller === 'admin' ? server.admin(query, variables) : server.graphql(query, variables, headers[caller] ?? {});

const createRole = async (name: string, policies: Policy[]) =>
  data(
    await server.admin('mutation ($input: CreateRoleInput!) { createRole(input: $input) { role { name } } }', {
      input: { name, policies },
    }),
  );

const grant = async (userId: string, role: string) =>
  data(
    await server.admin('mutation ($input: GrantRoleInput!) { grantRole(input: $input) { role { name } } }', {
      input: { userId, role },
    }),
  );

const revoke = async (userId: string, role: string) =>
  data(
    await server.admin('mutation ($input: RevokeRoleInput!) { revokeRole(input: $input) { role { name } } }', {
      input: { userId, role },
    }),
  );

/** Signs up a user holding exactly `roles` (the member role granted at sign-up is taken away) and signs them in. */
const userWithRoles = async (
  email: string,
  roles: string[],
): Promise<{ id: string; headers: Record<string, string> }> => {
  const signedUp = data(
    await server.graphql('mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } } }', {
      input: { email, password: PASSWORD, name: email.split('@')[0] },
    }),
  ).signUp as { user: { id: string } };
  const id = signedUp.user.id;
  await revoke(id, 'member');
  for (const role of roles) await grant(id, role);
  return { id, headers: await server.signIn(email, PASSWORD) };
};

const addBatch = (caller: Caller, reference: string, sku: string, quantity = 10) =>
  as(caller, 'mutation ($input: AddBatchInput!) { addBatch(input: $input) { batch { reference } } }', {
    input: { reference, sku, quantity },
  });

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_AUTH_PER_ACCOUNT: '1000', RATE_LIMIT_AUTH_PER_ADDRESS: '1000' });
  data(await addBatch('admin', 'batch-a', 'SKU-A', 1000));
  data(await addBatch('admin', 'batch-b', 'SKU-B', 1000));
  data(
    await as(
      'admin',
      'mutation { allocate(input: { orderId: "order-fixture", sku: "SKU-A", quantity: 1 }) { batchReference } }',
    ),
  );
  await createRole('spare', []);
  for (const caller of CALLERS) await createRole(`doomed-${caller.toLowerCase()}`, []);
  await createRole('star', [
    { resource: 'PRODUCT', actions: ['READ', 'CREATE', 'UPDATE'], selectors: ['*'] },
    { resource: 'BATCH', actions: ['READ', 'UPDATE'], selectors: ['*'] },
    { resource: 'USER', actions: ['READ'], selectors: ['*'] },
    { resource: 'ROLE', actions: ['READ'], selectors: ['*'] },
  ]);

  const victim = await userWithRoles('victim@example.com', []);
  userIds.victim = victim.id;
  const noRole = await userWithRoles('no-role@example.com', []);
  headers.noRole = noRole.headers;
  const star = await userWithRoles('star@example.com', ['star']);
  headers.star = star.headers;
  // The scoped caller's role names one instance of each resource (its own account for USER).
  const scopedId = (
    data(
      await server.graphql('mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } } }', {
        input: { email: 'scoped@example.com', password: PASSWORD, name: 'scoped' },
      }),
    ).signUp as { user: { id: string } }
  ).user.id;
  await createRole('scoped', [
    { resource: 'PRODUCT', actions: ALL_ACTIONS, selectors: ['SKU-A'] },
    { resource: 'BATCH', actions: ALL_ACTIONS, selectors: ['batch-a'] },
    { resource: 'USER', actions: ALL_ACTIONS, selectors: [scopedId] },
    { resource: 'ROLE', actions: ALL_ACTIONS, selectors: ['spare', 'doomed-scoped'] },
  ]);
  await revoke(scopedId, 'member');
  await grant(scopedId, 'scoped');
  headers.scoped = await server.signIn('scoped@example.com', PASSWORD);
});
afterAll(async () => server?.close());

/** What one caller got from one field: its data, null, or the error code at that field (or below it). */
type Outcome = 'ok' | 'null' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT';

const outcomeOf = (response: GraphQLResponse, row: Row, rootField: string): Outcome | string => {
  const field = row.field ?? rootField;
  const error = response.body.errors?.find((candidate) => candidate.path?.includes(field));
  if (error) return String(error.extensions?.code);
  if (response.body.errors?.length) return `unexpected: ${JSON.stringify(response.body.errors)}`;
  const answered = response.body.data ?? {};
  return (row.value ? row.value(answered) : answered[rootField]) === null ? 'null' : 'ok';
};

type Row = {
  readonly operation: string;
  readonly variables?: (caller: Caller) => Record<string, unknown>;
  /** Which field's outcome to read: the root field unless an object field is under test. */
  readonly field?: string;
  /** The value that is 'null' when the caller gets nothing (default: the root field's). */
  readonly value?: (data: Record<string, unknown>) => unknown;
  readonly expect: Record<Caller, Outcome>;
};

const publicField = { anonymous: 'ok', noRole: 'ok', scoped: 'ok', star: 'ok', admin: 'ok' } as const;
const readsOneInstance = {
  anonymous: 'UNAUTHENTICATED',
  noRole: 'null',
  scoped: 'ok',
  star: 'ok',
  admin: 'ok',
} as const;
const listsInstances = {
  anonymous: 'UNAUTHENTICATED',
  noRole: 'FORBIDDEN',
  scoped: 'ok',
  star: 'ok',
  admin: 'ok',
} as const;
const changesInventory = {
  anonymous: 'UNAUTHENTICATED',
  noRole: 'NOT_FOUND',
  scoped: 'ok',
  star: 'ok',
  admin: 'ok',
} as const;
/** A denied CREATE says FORBIDDEN: it tells nothing about what exists. */
const createsInventory = { ...changesInventory, noRole: 'FORBIDDEN' } as const;
const managesRoles = {
  anonymous: 'UNAUTHENTICATED',
  noRole: 'NOT_FOUND',
  scoped: 'ok',
  star: 'FORBIDDEN',
  admin: 'ok',
} as const;

const productId = toGlobalId('Product', 'SKU-A');
let refreshTokens: Partial<Record<Caller, string>> = {};

/** One row per guarded root or object field, keyed `Type.field`; the test below checks the keys against the schema. */
const MATRIX: Record<string, Row> = {
  'Query.node': {
    operation: `{ node(id: "${productId}") { id } }`,
    expect: { ...readsOneInstance, anonymous: 'null' },
  },
  'Query.nodes': {
    operation: `{ nodes(ids: ["${productId}"]) { id } }`,
    value: (answered) => (answered.nodes as unknown[])[0],
    expect: { ...readsOneInstance, anonymous: 'null' },
  },
  'Query.viewer': { operation: '{ viewer { id } }', expect: { ...publicField, anonymous: 'null' } },
  'Query.product': { operation: '{ product(sku: "SKU-A") { sku } }', expect: readsOneInstance },
  'Query.products': { operation: '{ products { totalCount } }', expect: listsInstances },
  'Query.allocations': { operation: '{ allocations(orderId: "order-fixture") { sku } }', expect: listsInstances },
  'Query.users': { operation: '{ users { totalCount } }', expect: listsInstances },
  'Query.roles': { operation: '{ roles { totalCount } }', expect: listsInstances },
  // Operators only: no role but the administrator's grants JOB, and no rule keys a job by instance.
  'Query.failedJobs': {
    operation: '{ failedJobs { jobId } }',
    expect: { anonymous: 'UNAUTHENTICATED', noRole: 'FORBIDDEN', scoped: 'FORBIDDEN', star: 'FORBIDDEN', admin: 'ok' },
  },
  'Mutation.signUp': {
    operation: 'mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } } }',
    variables: (caller) => ({ input: { email: `matrix-${caller}@example.com`, password: PASSWORD, name: 'Matrix' } }),
    expect: publicField,
  },
  'Mutation.logIn': {
    operation: 'mutation ($input: LogInInput!) { logIn(input: $input) { refreshToken } }',
    variables: () => ({ input: { email: 'victim@example.com', password: PASSWORD } }),
    expect: publicField,
  },
  'Mutation.refreshSession': {
    operation: 'mutation ($input: RefreshSessionInput!) { refreshSession(input: $input) { refreshToken } }',
    variables: (caller) => ({ input: { refreshToken: refreshTokens[caller] } }),
    expect: publicField,
  },
  'Mutation.logOut': {
    operation: 'mutation ($input: LogOutInput!) { logOut(input: $input) }',
    variables: () => ({ input: { refreshToken: 'x'.repeat(43) } }),
    expect: publicField,
  },
  // An unknown email: every caller gets the same true, and nothing is mailed.
  'Mutation.requestPasswordReset': {
    operation: 'mutation ($input: RequestPasswordResetInput!) { requestPasswordReset(input: $input) }',
    variables: () => ({ input: { email: 'nobody-at-all@example.com' } }),
    expect: publicField,
  },
  // A token never issued: the same refusal for everyone, signed in or not.
  'Mutation.resetPassword': {
    operation: 'mutation ($input: ResetPasswordInput!) { resetPassword(input: $input) { accessToken } }',
    variables: () => ({ input: { token: 'x'.repeat(43), newPassword: 'matrix new password' } }),
    expect: {
      anonymous: 'UNAUTHENTICATED',
      noRole: 'UNAUTHENTICATED',
      scoped: 'UNAUTHENTICATED',
      star: 'UNAUTHENTICATED',
      admin: 'UNAUTHENTICATED',
    },
  },
  // Any signed-in caller may try, about their own account only; a wrong current password changes nothing.
  'Mutation.changePassword': {
    operation: 'mutation ($input: ChangePasswordInput!) { changePassword(input: $input) }',
    variables: () => ({ input: { currentPassword: 'not the current password', newPassword: 'matrix new password' } }),
    expect: {
      anonymous: 'UNAUTHENTICATED',
      noRole: 'BAD_USER_INPUT',
      scoped: 'BAD_USER_INPUT',
      star: 'BAD_USER_INPUT',
      admin: 'BAD_USER_INPUT',
    },
  },
  'Mutation.addBatch': {
    operation: 'mutation ($input: AddBatchInput!) { addBatch(input: $input) { product { sku } } }',
    variables: (caller) => ({ input: { reference: `matrix-${caller}`, sku: 'SKU-A', quantity: 5 } }),
    expect: createsInventory,
  },
  'Mutation.allocate': {
    operation: 'mutation ($input: AllocateInput!) { allocate(input: $input) { batchReference } }',
    variables: (caller) => ({ input: { orderId: `matrix-${caller}`, sku: 'SKU-A', quantity: 1 } }),
    expect: changesInventory,
  },
  'Mutation.deallocate': {
    operation: 'mutation ($input: DeallocateInput!) { deallocate(input: $input) { batchReference } }',
    variables: () => ({ input: { orderId: 'to-release', sku: 'SKU-A' } }),
    expect: changesInventory,
  },
  'Mutation.changeBatchQuantity': {
    operation:
      'mutation ($input: ChangeBatchQuantityInput!) { changeBatchQuantity(input: $input) { batch { reference } } }',
    variables: (caller) => ({ input: { reference: 'batch-a', quantity: 2000 + CALLERS.indexOf(caller) } }),
    expect: changesInventory,
  },
  'Mutation.createRole': {
    operation: 'mutation ($input: CreateRoleInput!) { createRole(input: $input) { role { name } } }',
    variables: (caller) => ({ input: { name: `created-by-${caller.toLowerCase()}`, policies: [] } }),
    // Creating a role needs CREATE on its name; the scoped role names two others, so it may not either.
    expect: { ...managesRoles, noRole: 'FORBIDDEN', scoped: 'FORBIDDEN' },
  },
  'Mutation.updateRolePolicies': {
    operation: 'mutation ($input: UpdateRolePoliciesInput!) { updateRolePolicies(input: $input) { role { name } } }',
    variables: () => ({ input: { name: 'spare', policies: [] } }),
    expect: managesRoles,
  },
  'Mutation.deleteRole': {
    operation: 'mutation ($input: DeleteRoleInput!) { deleteRole(input: $input) { name } }',
    variables: (caller) => ({
      input: { name: caller === 'scoped' ? 'doomed-scoped' : `doomed-${caller.toLowerCase()}` },
    }),
    expect: managesRoles,
  },
  'Mutation.grantRole': {
    operation: 'mutation ($input: GrantRoleInput!) { grantRole(input: $input) { role { name } } }',
    variables: () => ({ input: { userId: userIds.victim, role: 'spare' } }),
    expect: managesRoles,
  },
  'Mutation.revokeRole': {
    operation: 'mutation ($input: RevokeRoleInput!) { revokeRole(input: $input) { role { name } } }',
    variables: () => ({ input: { userId: userIds.victim, role: 'spare' } }),
    expect: managesRoles,
  },
  // Each caller holds one role at most; only star and admin may read the policies of the role they hold.
  'Role.policies': {
    operation: '{ viewer { roles { name policies { resource } } } }',
    field: 'policies',
    value: (answered) => answered.viewer,
    expect: { anonymous: 'null', noRole: 'ok', scoped: 'FORBIDDEN', star: 'ok', admin: 'ok' },
  },
};

const guardedFieldsOfSchema = (): string[] => {
  const schema = buildSchema();
  const fields: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const isRoot = type.name === 'Query' || type.name === 'Mutation';
    for (const field of Object.values(type.getFields())) {
      if (isRoot || getDirective(schema, field, 'auth')?.length) fields.push(`${type.name}.${field.name}`);
    }
  }
  return fields.sort();
};

describe('the authorization matrix', () => {
  it('has a row for every root field and every guarded object field of the schema', () => {
    expect(Object.keys(MATRIX).sort()).toEqual(guardedFieldsOfSchema());
  });

  describe.each(Object.entries(MATRIX))('%s', (name, row) => {
    beforeAll(async () => {
      if (name === 'Mutation.refreshSession') {
        refreshTokens = {};
        for (const caller of CALLERS) {
          const loggedIn = data(
            await server.graphql(
              'mutation { logIn(input: { email: "victim@example.com", password: "authorization test password" }) { refreshToken } }',
            ),
          );
          refreshTokens[caller] = (loggedIn.logIn as { refreshToken: string }).refreshToken;
        }
      }
    });

    it.each(CALLERS)('as %s', async (caller) => {
      if (name === 'Mutation.deallocate') {
        // Each allowed caller releases the line, so put it back first (allocating an allocated line changes nothing).
        data(
          await as(
            'admin',
            'mutation { allocate(input: { orderId: "to-release", sku: "SKU-A", quantity: 1 }) { batchReference } }',
          ),
        );
      }
      const response = await as(caller, row.operation, row.variables?.(caller));

      expect(outcomeOf(response, row, name.split('.')[1]!)).toBe(row.expect[caller]);
    });
  });
});

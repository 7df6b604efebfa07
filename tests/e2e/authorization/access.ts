/** Access's rows of the authorization matrix: roles, their policies, and who holds them. */
import {
  createdBy,
  ALL_ACTIONS,
  CALLERS,
  listsInstances,
  writtenByScopedOnly,
  type MatrixHarness,
  type MatrixPart,
} from './matrix.ts';

const createRole = async ({ as, data }: MatrixHarness, name: string) =>
  data(
    await as('admin', 'mutation ($input: CreateRoleInput!) { createRole(input: $input) { role { name } } }', {
      input: { name, policies: [] },
    }),
  );

export const matrix: MatrixPart = {
  // `spare` is granted and revoked, and its policies replaced; each caller may try to delete a role of its own.
  fixtures: async (harness) => {
    await createRole(harness, 'spare');
    for (const caller of CALLERS) await createRole(harness, `doomed-${caller.toLowerCase()}`);
  },
  // scoped: two roles by name; star: reading every role, changing none.
  policies: () => ({
    scoped: [{ resource: 'ROLE', actions: ALL_ACTIONS, selectors: ['spare', 'doomed-scoped'] }],
    star: [{ resource: 'ROLE', actions: ['READ'], selectors: ['*'] }],
  }),
  rows: {
    'Query.roles': { operation: '{ roles { totalCount } }', expect: listsInstances },
    'Mutation.createRole': {
      operation: 'mutation ($input: CreateRoleInput!) { createRole(input: $input) { role { name } } }',
      variables: (caller) => ({ input: { name: `created-by-${caller.toLowerCase()}`, policies: [] } }),
      // Creating a role needs CREATE on its name; the scoped role names two others, so it may not either.
      expect: createdBy({}),
    },
    'Mutation.updateRolePolicies': {
      operation: 'mutation ($input: UpdateRolePoliciesInput!) { updateRolePolicies(input: $input) { role { name } } }',
      variables: () => ({ input: { name: 'spare', policies: [] } }),
      expect: writtenByScopedOnly,
    },
    'Mutation.deleteRole': {
      operation: 'mutation ($input: DeleteRoleInput!) { deleteRole(input: $input) { name } }',
      variables: (caller) => ({ input: { name: `doomed-${caller.toLowerCase()}` } }),
      expect: writtenByScopedOnly,
    },
    'Mutation.grantRole': {
      operation: 'mutation ($input: GrantRoleInput!) { grantRole(input: $input) { role { name } } }',
      variables: (_caller, accounts) => ({ input: { userId: accounts.victim, role: 'spare' } }),
      expect: writtenByScopedOnly,
    },
    'Mutation.revokeRole': {
      operation: 'mutation ($input: RevokeRoleInput!) { revokeRole(input: $input) { role { name } } }',
      variables: (_caller, accounts) => ({ input: { userId: accounts.victim, role: 'spare' } }),
      expect: writtenByScopedOnly,
    },
    // Each caller holds one role at most; only star and admin may read the policies of the role they hold.
    'Role.policies': {
      operation: '{ viewer { roles { name policies { resource } } } }',
      field: 'policies',
      value: (answered) => answered.viewer,
      expect: { anonymous: 'null', noRole: 'ok', scoped: 'FORBIDDEN', star: 'ok', admin: 'ok' },
    },
  },
};

/** Identity's rows of the authorization matrix: accounts and sessions, mostly public by design. */
import { LogInDocument } from '../../generated/graphql.ts';
import {
  ALL_ACTIONS,
  CALLERS,
  listsInstances,
  PASSWORD,
  publicField,
  readsOneInstance,
  VICTIM_EMAIL,
  type Caller,
  type MatrixPart,
} from './matrix.ts';

/** A refresh token per caller, each from its own log-in: a token works once, so no two callers share one. */
let refreshTokens: Partial<Record<Caller, string>> = {};

export const matrix: MatrixPart = {
  // scoped: its own account; star: reading every account.
  policies: (accounts) => ({
    scoped: [{ resource: 'USER', actions: ALL_ACTIONS, selectors: [accounts.scoped] }],
    star: [{ resource: 'USER', actions: ['READ'], selectors: ['*'] }],
  }),
  rows: {
    // Through the router (the server runs as a subgraph), a user is what node(id:) answers the caller.
    'User.__resolveReference': {
      operation: 'query ($users: [_Any!]!) { _entities(representations: $users) { ... on User { email } } }',
      variables: (_caller, accounts) => ({ users: [{ __typename: 'User', id: accounts.scoped }] }),
      viaRouter: true,
      field: '_entities',
      value: (answered) => (answered._entities as unknown[])[0],
      expect: { ...readsOneInstance, anonymous: 'null' },
    },
    'Query.viewer': { operation: '{ viewer { id } }', expect: { ...publicField, anonymous: 'null' } },
    'Query.users': { operation: '{ users { totalCount } }', expect: listsInstances },
    'Mutation.signUp': {
      operation: 'mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } } }',
      variables: (caller) => ({ input: { email: `matrix-${caller}@example.com`, password: PASSWORD, name: 'Matrix' } }),
      expect: publicField,
    },
    'Mutation.logIn': {
      operation: 'mutation ($input: LogInInput!) { logIn(input: $input) { refreshToken } }',
      variables: () => ({ input: { email: VICTIM_EMAIL, password: PASSWORD } }),
      expect: publicField,
    },
    'Mutation.refreshSession': {
      operation: 'mutation ($input: RefreshSessionInput!) { refreshSession(input: $input) { refreshToken } }',
      variables: (caller) => ({ input: { refreshToken: refreshTokens[caller] } }),
      expect: publicField,
      beforeRow: async ({ server, data }) => {
        refreshTokens = {};
        for (const caller of CALLERS) {
          const loggedIn = data(
            await server.graphql(LogInDocument, { input: { email: VICTIM_EMAIL, password: PASSWORD } }),
          );
          refreshTokens[caller] = loggedIn.logIn.refreshToken;
        }
      },
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
  },
};

/**
 * What a generated context adds to the end-to-end suite: `.graphql` documents, its own test over HTTP, and its part
 * of the authorization matrix (tests/e2e/authorization/<context>.ts, which tests/e2e/authorization.test.ts collects).
 */
import type { ContextNames } from '../names.ts';

/** The instance every matrix row of a generated context works on, created by the administrator before the rows. */
export const MATRIX_FIXTURE = 'matrix-fixture';

export const createOperation = (
  n: ContextNames,
): string => `mutation Create${n.Aggregate}($input: Create${n.Aggregate}Input!) {
  create${n.Aggregate}(input: $input) {
    ${n.aggregate} {
      reference
      version
    }
  }
}
`;

export const readOperation = (n: ContextNames): string => `query ${n.Aggregate}($reference: String!) {
  ${n.aggregate}(reference: $reference) {
    reference
    version
    createdAt
  }
}
`;

export const e2e = (n: ContextNames): string => `/**
 * ${n.Context} over HTTP on real Postgres (made by \`npm run generate -- context ${n.context}\`): ${n.spokenPlural} are
 * created and read back, and only by callers whose roles grant ${n.resource}.
 */
import { operation } from './support/operations.ts';
import { startTestServer, TEST_ADMIN, type GraphQLResponse, type TestServer } from './support/server.ts';
import { connect, nextOf, subscribe } from './support/websocket.ts';

const CREATE = operation('Create${n.Aggregate}');
const READ = operation('${n.Aggregate}');
const PASSWORD = '${n.context} e2e password';

const extensionsOf = (response: GraphQLResponse) => response.body.errors?.[0]?.extensions;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_AUTH_PER_ACCOUNT: '1000', RATE_LIMIT_AUTH_PER_ADDRESS: '1000' });
});
afterAll(async () => server?.close());

/** A new account: it holds the member role (nothing on ${n.resource}) until the administrator grants more. */
const newAccount = async (email: string): Promise<{ id: string; headers: Record<string, string> }> => {
  const signedUp = await server.graphql('mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } } }', {
    input: { email, password: PASSWORD, name: 'Pat' },
  });
  const id = (signedUp.body.data?.signUp as { user: { id: string } }).user.id;
  return { id, headers: await server.signIn(email, PASSWORD) };
};

describe('${n.spokenPlural} over HTTP', () => {
  it('the administrator creates a ${n.spoken} and reads it back by its reference, at version 1', async () => {
    const created = await server.admin(CREATE, { input: { reference: 'e2e-1' } });
    expect(created.body).toEqual({ data: { create${n.Aggregate}: { ${n.aggregate}: { reference: 'e2e-1', version: 1 } } } });

    const read = await server.admin(READ, { reference: 'e2e-1' });
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data?.${n.aggregate}).toMatchObject({ reference: 'e2e-1', version: 1 });
  });

  it('refuses a taken reference and a malformed one as BAD_USER_INPUT on input.reference', async () => {
    await server.admin(CREATE, { input: { reference: 'e2e-taken' } });

    expect(extensionsOf(await server.admin(CREATE, { input: { reference: 'e2e-taken' } }))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.reference' });
    expect(extensionsOf(await server.admin(CREATE, { input: { reference: 'not valid' } }))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.reference' });
  });

  it('asks anonymous callers to sign in', async () => {
    expect(extensionsOf(await server.graphql(READ, { reference: 'e2e-1' }))?.code).toBe('UNAUTHENTICATED');
    expect(extensionsOf(await server.graphql(CREATE, { input: { reference: 'e2e-anonymous' } }))?.code).toBe('UNAUTHENTICATED');
  });

  it('shows a caller without a ${n.resource} grant nothing: null for a read, FORBIDDEN for a create', async () => {
    const member = await newAccount('member@${n.context}.example.com');

    expect((await server.graphql(READ, { reference: 'e2e-1' }, member.headers)).body).toEqual({ data: { ${n.aggregate}: null } });
    const create = await server.graphql(CREATE, { input: { reference: 'e2e-member' } }, member.headers);
    expect(extensionsOf(create)?.code).toBe('FORBIDDEN');
    expect((await server.admin(READ, { reference: 'e2e-member' })).body.data?.${n.aggregate}).toBeNull();
  });

  it("lets a role with OWNER selectors create ${n.spokenPlural} and read its own, but not anyone else's", async () => {
    const role = await server.admin('mutation ($input: CreateRoleInput!) { createRole(input: $input) { role { name } } }', {
      input: { name: '${n.context}-owners', policies: [{ resource: '${n.resource}', actions: ['READ', 'CREATE'], selectors: ['OWNER'] }] },
    });
    expect(role.body.errors).toBeUndefined();
    const owner = await newAccount('owner@${n.context}.example.com');
    await server.admin('mutation ($input: GrantRoleInput!) { grantRole(input: $input) { role { name } } }', {
      input: { userId: owner.id, role: '${n.context}-owners' },
    });

    const created = await server.graphql(CREATE, { input: { reference: 'e2e-owned' } }, owner.headers);
    expect(created.body.errors).toBeUndefined();
    expect((await server.graphql(READ, { reference: 'e2e-owned' }, owner.headers)).body.data?.${n.aggregate}).toMatchObject({
      reference: 'e2e-owned',
    });
    expect((await server.graphql(READ, { reference: 'e2e-1' }, owner.headers)).body).toEqual({ data: { ${n.aggregate}: null } });
  });

  it('tells a subscriber of ${n.aggregate}Changed when the ${n.spoken} it follows is created, over WebSocket', async () => {
    const { authorization } = await server.signIn(TEST_ADMIN.email, TEST_ADMIN.password);
    const socket = await connect(server.url, { Authorization: authorization });
    try {
      const following = server.followers();
      subscribe(socket, 'watched', 'subscription { ${n.aggregate}Changed(reference: "e2e-watched") { reference version } }');
      while (server.followers() === following) await new Promise((resolve) => setTimeout(resolve, 10));

      await server.admin(CREATE, { input: { reference: 'e2e-watched' } });

      expect(await nextOf(socket, 'watched')).toEqual({ data: { ${n.aggregate}Changed: { reference: 'e2e-watched', version: 1 } } });
    } finally {
      socket.close();
    }
  });
});
`;

/**
 * The context's part of the authorization matrix. The scoped caller's role names the fixture and the one instance it
 * creates itself; star's reads every instance and may change none: so each row tells a named grant, a read-only
 * grant and no grant apart.
 */
export const matrixPart = (n: ContextNames): string => `/**
 * ${n.Context}'s rows of the authorization matrix (made by \`npm run generate -- context ${n.context}\`): one per root
 * field of schema/${n.context}.graphql, against the matrix's five callers (tests/e2e/authorization/matrix.ts).
 */
import { ALL_ACTIONS, createdBy, readsOneInstance, writtenByScopedOnly, type MatrixPart } from './matrix.ts';

/** The ${n.spoken} the rows work on, created by the administrator before they run. */
const FIXTURE = '${MATRIX_FIXTURE}';

export const matrix: MatrixPart = {
  fixtures: async ({ as, data }) => {
    data(await as('admin', 'mutation { create${n.Aggregate}(input: { reference: "${MATRIX_FIXTURE}" }) { ${n.aggregate} { reference } } }'));
  },
  // scoped: everything on the fixture and on the one ${n.spoken} it creates (matrix-scoped); star: reading every one.
  policies: () => ({
    scoped: [{ resource: '${n.resource}', actions: ALL_ACTIONS, selectors: [FIXTURE, 'matrix-scoped'] }],
    star: [{ resource: '${n.resource}', actions: ['READ'], selectors: ['*'] }],
  }),
  rows: {
    'Query.${n.aggregate}': {
      operation: \`{ ${n.aggregate}(reference: "\${FIXTURE}") { reference } }\`,
      expect: readsOneInstance,
    },
    'Mutation.create${n.Aggregate}': {
      operation: 'mutation ($input: Create${n.Aggregate}Input!) { create${n.Aggregate}(input: $input) { ${n.aggregate} { reference } } }',
      variables: (caller) => ({ input: { reference: \`matrix-\${caller}\` } }),
      expect: createdBy({ scoped: 'ok' }),
    },
    'Subscription.${n.aggregate}Changed': {
      // Each caller follows a ${n.spoken} that does not exist yet; the administrator then creates it.
      operation: 'subscription ($reference: String!) { ${n.aggregate}Changed(reference: $reference) { reference } }',
      variables: (caller) => ({ reference: \`matrix-watched-\${caller}\` }),
      expect: { anonymous: 'UNAUTHENTICATED', noRole: 'NOT_FOUND', scoped: 'NOT_FOUND', star: 'ok', admin: 'ok' },
      trigger: async (caller, { as, data }) => {
        data(await as('admin', \`mutation { create${n.Aggregate}(input: { reference: "matrix-watched-\${caller}" }) { ${n.aggregate} { reference } } }\`));
      },
    },
    // generate: rows
  },
};
`;

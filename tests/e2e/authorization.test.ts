/**
 * Authorization on real Postgres, over HTTP (over WebSocket for subscriptions): the matrix of every root field,
 * every guarded object field and every entity a supergraph router may resolve against five callers
 * (tests/e2e/authorization/matrix.ts). The server runs as a federation subgraph, so entity resolution is authorized
 * by the same rows as everything else. Each bounded context contributes its part from its own file in
 * tests/e2e/authorization/; this collects them all and checks that together they cover exactly the fields of the
 * schema, so a new field cannot ship without a row, and a context's rows come and go with the context.
 */
import { jest } from '@jest/globals';
import { getDirective } from '@graphql-tools/utils';
import { isObjectType, isUnionType } from 'graphql';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildApplicationSchema } from '../../src/schema.ts';
import {
  CALLERS,
  PASSWORD,
  VICTIM_EMAIL,
  type Accounts,
  type Caller,
  type MatrixHarness,
  type MatrixPart,
  type Outcome,
  type Policy,
  type Row,
} from './authorization/matrix.ts';
import { SignUpDocument } from '../generated/graphql.ts';
import { ROUTER_HEADERS, SUBGRAPH_ENVIRONMENT } from './support/router.ts';
import { startTestServer, TEST_ADMIN, type GraphQLResponse, type TestServer } from './support/server.ts';
import { connect, subscribe } from './support/websocket.ts';

jest.setTimeout(60_000);

/** Every part in tests/e2e/authorization/, by file name (matrix.ts is the shape they share, not a part). */
const PARTS_DIR = join(import.meta.dirname, 'authorization');
const parts: ReadonlyArray<readonly [string, MatrixPart]> = await Promise.all(
  readdirSync(PARTS_DIR)
    .filter((file) => file.endsWith('.ts') && file !== 'matrix.ts')
    .sort()
    .map(async (file) => {
      const { matrix } = (await import(join(PARTS_DIR, file))) as { matrix?: MatrixPart };
      if (!matrix) throw new Error(`tests/e2e/authorization/${file} exports no \`matrix\` (a MatrixPart)`);
      return [file, matrix] as const;
    }),
);

const rows = new Map<string, Row>();
for (const [file, part] of parts) {
  for (const [field, row] of Object.entries(part.rows)) {
    if (rows.has(field)) throw new Error(`${field} has a row in two parts of the matrix (one is ${file})`);
    rows.set(field, row);
  }
}

let server: TestServer;
const headers: Partial<Record<Caller, Record<string, string>>> = {};
let accounts: Accounts | undefined;

const data = <TData>(response: GraphQLResponse<TData>): TData => {
  if (response.status !== 200 || response.body.errors || !response.body.data) {
    throw new Error(JSON.stringify(response.body));
  }
  return response.body.data;
};

const as: MatrixHarness['as'] = (caller, query, variables, options = {}) =>
  caller === 'admin' && !options.viaRouter
    ? server.admin(query, variables)
    : server.graphql(query, variables, { ...headers[caller], ...(options.viaRouter ? ROUTER_HEADERS : {}) });

/**
 * A subscription row: the caller subscribes; a refusal arrives at once (a `next` with the error, or an `error`);
 * once the server follows the subscription, the row's change is made, and an allowed caller receives it.
 */
const subscribeAs = async (caller: Caller, row: Row): Promise<GraphQLResponse> => {
  const authorization = headers[caller]?.authorization;
  const socket = await connect(server.url, authorization ? { Authorization: authorization } : undefined);
  const following = server.followers();
  const until = async (done: () => boolean, what: string) => {
    for (let waited = 0; !done(); waited += 10) {
      if (waited > 5000) throw new Error(`${caller}: ${what} within 5 s`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  try {
    subscribe(socket, '1', row.operation, row.variables?.(caller, harness.accounts));
    const answered = () => socket.received.some((message) => message.id === '1');
    await until(
      () => server.followers() > following || answered(),
      'the subscription was neither followed nor refused',
    );
    if (!answered()) await row.trigger?.(caller, harness);
    const message = await socket.take((candidate) => candidate.id === '1');
    const body = (message.type === 'error' ? { errors: message.payload } : message.payload) as GraphQLResponse['body'];
    return { status: 200, body };
  } finally {
    socket.close();
    // The next caller counts followers from here.
    await until(() => server.followers() === following, 'the closed subscription was still followed');
  }
};

const harness: MatrixHarness = {
  get server() {
    return server;
  },
  as,
  data,
  get accounts() {
    if (!accounts) throw new Error('the matrix accounts are made after the fixtures');
    return accounts;
  },
};

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

const signUp = async (email: string): Promise<string> => {
  const signedUp = data(
    await server.graphql(SignUpDocument, { input: { email, password: PASSWORD, name: email.split('@')[0]! } }),
  ).signUp;
  return signedUp.user.id;
};

/** An account holding exactly `role` (or none): the member role granted at sign-up is taken away. */
const accountWithRole = async (email: string, role: string | null): Promise<string> => {
  const id = await signUp(email);
  await revoke(id, 'member');
  if (role) await grant(id, role);
  return id;
};

beforeAll(async () => {
  // As a federation subgraph: every field answers as it does without federation, and entities are rows too.
  server = await startTestServer({
    RATE_LIMIT_AUTH_PER_ACCOUNT: '1000',
    RATE_LIMIT_AUTH_PER_ADDRESS: '1000',
    ...SUBGRAPH_ENVIRONMENT,
  });
  for (const [, part] of parts) await part.fixtures?.(harness);

  // The scoped caller's role may name its own account, so the account comes before the roles.
  const scoped = await signUp('scoped@example.com');
  accounts = { scoped, victim: await accountWithRole(VICTIM_EMAIL, null) };
  const policies = parts.map(([, part]) => part.policies?.(harness.accounts) ?? {});
  await createRole(
    'scoped',
    policies.flatMap((part) => part.scoped ?? []),
  );
  await createRole(
    'star',
    policies.flatMap((part) => part.star ?? []),
  );

  await revoke(scoped, 'member');
  await grant(scoped, 'scoped');
  await accountWithRole('no-role@example.com', null);
  await accountWithRole('star@example.com', 'star');
  headers.scoped = await server.signIn('scoped@example.com', PASSWORD);
  headers.noRole = await server.signIn('no-role@example.com', PASSWORD);
  headers.star = await server.signIn('star@example.com', PASSWORD);
  headers.admin = await server.signIn(TEST_ADMIN.email, TEST_ADMIN.password);
});
afterAll(async () => server?.close());

const outcomeOf = (response: GraphQLResponse, row: Row, rootField: string): Outcome | string => {
  const field = row.field ?? rootField;
  const error = response.body.errors?.find((candidate) => candidate.path?.includes(field));
  if (error) return String(error.extensions?.code);
  if (response.body.errors?.length) return `unexpected: ${JSON.stringify(response.body.errors)}`;
  const answered = response.body.data ?? {};
  return (row.value ? row.value(answered) : answered[rootField]) === null ? 'null' : 'ok';
};

/** The schema the matrix server serves: a federation subgraph, whose entities resolve through `_entities`. */
const guardedFieldsOfSchema = (): string[] => {
  const schema = buildApplicationSchema({ federation: { secretRequired: true } });
  const entities = schema.getType('_Entity');
  const fields = (isUnionType(entities) ? entities.getTypes() : []).map((type) => `${type.name}.__resolveReference`);
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
  it('has a row for every root field, guarded object field and entity of the schema, and no other', () => {
    expect([...rows.keys()].sort()).toEqual(guardedFieldsOfSchema());
  });

  describe.each([...rows.entries()])('%s', (name, row) => {
    beforeAll(async () => row.beforeRow?.(harness));

    it.each(CALLERS)('as %s', async (caller) => {
      await row.beforeCaller?.(caller, harness);
      const response = row.trigger
        ? await subscribeAs(caller, row)
        : await as(caller, row.operation, row.variables?.(caller, harness.accounts), { viaRouter: row.viaRouter });

      expect(outcomeOf(response, row, name.split('.')[1]!)).toBe(row.expect[caller]);
    });
  });
});

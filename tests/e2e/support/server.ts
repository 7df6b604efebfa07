/**
 * An in-process Kingdom API on a fresh, migrated database of the e2e Postgres, listening on a real port.
 * Tests talk to it over HTTP only, with the production error handling (NODE_ENV=test masks internals).
 */
import { startApp, type RunningApp } from '../../../src/app.ts';
import { loadConfig } from '../../../src/platform/config.ts';
import { createLogger, type AppLogger } from '../../../src/platform/logger.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export type TestServer = RunningApp & {
  readonly database: TestDatabase;
  /** POSTs a GraphQL operation and returns the HTTP status and parsed body. */
  graphql(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse>;
  /** The same, signed in as the built-in administrator (KINGDOM_ADMIN_EMAIL), who may do everything. */
  admin(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  /** Signs an account in (through logIn) and returns the Authorization header for it. */
  signIn(email: string, password: string): Promise<Record<string, string>>;
  close(): Promise<void>;
};

export type GraphQLResponse = {
  readonly status: number;
  readonly body: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
  };
};

/** Known to the tests, so they can forge tokens the server must refuse (and sign ones it must accept). */
export const TEST_JWT_SECRET = 'kingdom-e2e-secret-that-is-long-enough-0123456789';

/** Signs the test servers' cursors (production refuses to start without one). */
export const TEST_CURSOR_SECRET = 'kingdom-e2e-cursor-secret-long-enough-0123456789';

/** The administrator every test server creates at start-up (ensureAdministrator). */
export const TEST_ADMIN = { email: 'admin@e2e.test', password: 'e2e administrator password' } as const;

export const startTestServer = async (
  environment: Record<string, string> = {},
  /**
   * `logger`: where the server logs instead of nowhere (LOG_LEVEL=silent), for tests that read its log.
   * `database`: another server's, for several instances on one database (closing this server leaves it).
   */
  options: { readonly logger?: AppLogger; readonly database?: TestDatabase } = {},
): Promise<TestServer> => {
  const database = options.database ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: database.url,
    JWT_SECRET: TEST_JWT_SECRET,
    CURSOR_SECRET: TEST_CURSOR_SECRET,
    KINGDOM_ADMIN_EMAIL: TEST_ADMIN.email,
    KINGDOM_ADMIN_PASSWORD: TEST_ADMIN.password,
    ...environment,
  });
  const app = await startApp({ config, logger: options.logger ?? createLogger(config), databaseUrl: database.url });
  const graphql = async (
    query: string,
    variables?: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<GraphQLResponse> => {
    const response = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as GraphQLResponse['body'] };
  };
  const signIn = async (email: string, password: string): Promise<Record<string, string>> => {
    const { body } = await graphql('mutation ($input: LogInInput!) { logIn(input: $input) { accessToken } }', {
      input: { email, password },
    });
    const token = (body.data?.logIn as { accessToken?: string } | null)?.accessToken;
    if (!token) throw new Error(`could not sign ${email} in: ${JSON.stringify(body.errors)}`);
    return { authorization: `Bearer ${token}` };
  };
  let adminHeaders: Promise<Record<string, string>> | undefined;
  const admin = async (query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse> =>
    graphql(query, variables, await (adminHeaders ??= signIn(TEST_ADMIN.email, TEST_ADMIN.password)));
  return {
    ...app,
    database,
    graphql,
    admin,
    signIn,
    close: async () => {
      await app.stop();
      if (!options.database) await database.drop();
    },
  };
};

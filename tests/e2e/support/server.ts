/**
 * An in-process Kingdom API on a fresh, migrated database of the e2e Postgres, listening on a real port.
 * Tests talk to it over HTTP only, with the production error handling (NODE_ENV=test masks internals).
 */
import { startApp, type RunningApp } from '../../../src/app.ts';
import { loadConfig } from '../../../src/platform/config.ts';
import { createLogger, type AppLogger } from '../../../src/platform/logger.ts';
import { sourceOf, type Operation, type Untyped } from '../../support/operation.ts';
import { LogInDocument } from '../../generated/graphql.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export type TestServer = RunningApp & {
  readonly database: TestDatabase;
  /**
   * POSTs a GraphQL operation and returns the HTTP status and parsed body. Given a typed document (tests/generated),
   * `data` and `variables` are typed by it; given a string, `data` is an untyped record.
   */
  graphql<TData = Untyped, TVariables = Record<string, unknown>>(
    query: Operation<TData, TVariables>,
    variables?: NoInfer<TVariables>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<TData>>;
  /** The same, signed in as the built-in administrator (KINGDOM_ADMIN_EMAIL), who may do everything. */
  admin<TData = Untyped, TVariables = Record<string, unknown>>(
    query: Operation<TData, TVariables>,
    variables?: NoInfer<TVariables>,
  ): Promise<GraphQLResponse<TData>>;
  /** Signs an account in (through logIn) and returns the Authorization header for it. */
  signIn(email: string, password: string): Promise<Record<string, string>>;
  close(): Promise<void>;
};

export type GraphQLResponse<TData = Untyped> = {
  readonly status: number;
  readonly body: {
    data?: TData | null;
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
  const graphql = async <TData = Untyped, TVariables = Record<string, unknown>>(
    query: Operation<TData, TVariables>,
    variables?: NoInfer<TVariables>,
    headers: Record<string, string> = {},
  ): Promise<GraphQLResponse<TData>> => {
    const response = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: sourceOf(query), variables }),
    });
    return { status: response.status, body: (await response.json()) as GraphQLResponse<TData>['body'] };
  };
  const signIn = async (email: string, password: string): Promise<Record<string, string>> => {
    const { body } = await graphql(LogInDocument, { input: { email, password } });
    const token = body.data?.logIn.accessToken;
    if (!token) throw new Error(`could not sign ${email} in: ${JSON.stringify(body.errors)}`);
    return { authorization: `Bearer ${token}` };
  };
  let adminHeaders: Promise<Record<string, string>> | undefined;
  const admin = async <TData = Untyped, TVariables = Record<string, unknown>>(
    query: Operation<TData, TVariables>,
    variables?: NoInfer<TVariables>,
  ): Promise<GraphQLResponse<TData>> =>
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

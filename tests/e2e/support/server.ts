/**
 * An in-process Kingdom API on a fresh, migrated database of the e2e Postgres, listening on a real port.
 * Tests talk to it over HTTP only, with the production error handling (NODE_ENV=test masks internals).
 */
import { startApp, type RunningApp } from '../../../src/app.ts';
import { loadConfig } from '../../../src/platform/config.ts';
import { createLogger } from '../../../src/platform/logger.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export type TestServer = RunningApp & {
  readonly database: TestDatabase;
  /** POSTs a GraphQL operation and returns the HTTP status and parsed body. */
  graphql(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse>;
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

export const startTestServer = async (environment: Record<string, string> = {}): Promise<TestServer> => {
  const database = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: database.url,
    JWT_SECRET: TEST_JWT_SECRET,
    ...environment,
  });
  const app = await startApp({ config, logger: createLogger(config), databaseUrl: database.url });
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
  return {
    ...app,
    database,
    graphql,
    close: async () => {
      await app.stop();
      await database.drop();
    },
  };
};

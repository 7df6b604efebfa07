/** Raw GraphQL-over-HTTP requests for tests that need what `TestServer.graphql` hides: GET, extensions, bad bodies. */
import { operationId } from '../../../src/platform/graphql/trusted-documents/manifest.ts';
import type { TestServer } from './server.ts';

/** The environment of a production server (NODE_ENV=production needs PUBLIC_URL). */
export const PRODUCTION = { NODE_ENV: 'production', PUBLIC_URL: 'https://kingdom.example.com' } as const;

export type Answer = {
  status: number;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> };
};

/** A request as given (POST with a JSON content type unless `init` says otherwise), its status and parsed body. */
export const send = async (server: TestServer, init: RequestInit & { search?: string } = {}): Promise<Answer> => {
  const response = await fetch(`${server.url}${init.search ?? ''}`, {
    method: 'POST',
    ...init,
    headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
};
/** POSTs `body` as JSON, whatever it is (a batch, a malformed field). */
export const post = (server: TestServer, body: unknown, headers: Record<string, string> = {}) =>
  send(server, { body: JSON.stringify(body), headers });
/** The `extensions` that name an operation by its id, as Apollo Client's persisted query link sends them. */
export const byId = (body: string) => ({ persistedQuery: { version: 1, sha256Hash: operationId(body) } });
export const codesOf = (answer: Answer) => answer.body.errors?.map((error) => error.extensions?.code);

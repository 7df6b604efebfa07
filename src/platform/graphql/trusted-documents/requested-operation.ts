import type { HTTPGraphQLRequest } from '@apollo/server';

/** The parts of a GraphQL request that decide what Apollo would run. */
export type RequestedOperation = {
  /** The document text, when the request carries one. */
  readonly query: string | undefined;
  /** `extensions.persistedQuery`, when present (Apollo resolves its `sha256Hash` when there is no query). */
  readonly persistedQuery: unknown;
  /** As the client named it, unverified (for logs only). */
  readonly operationName: unknown;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);

const onlyOnce = (parameters: URLSearchParams, name: string): string | undefined | null => {
  const values = parameters.getAll(name);
  return values.length > 1 ? null : values[0];
};

const fromGet = (search: string): RequestedOperation | undefined => {
  const parameters = new URLSearchParams(search);
  const query = onlyOnce(parameters, 'query');
  const extensionsText = onlyOnce(parameters, 'extensions');
  const operationName = onlyOnce(parameters, 'operationName');
  if (query === null || extensionsText === null || operationName === null) return undefined;
  let extensions: unknown;
  try {
    extensions = extensionsText === undefined ? {} : JSON.parse(extensionsText);
  } catch {
    return undefined;
  }
  if (!isRecord(extensions)) return undefined;
  return { query, persistedQuery: extensions.persistedQuery, operationName };
};

const fromPost = (body: unknown): RequestedOperation | undefined => {
  if (!isRecord(body)) return undefined;
  const extensions = isRecord(body.extensions) ? body.extensions : undefined;
  return {
    query: typeof body.query === 'string' ? body.query : undefined,
    persistedQuery: extensions?.persistedQuery,
    operationName: body.operationName,
  };
};

/**
 * Reads a request the way Apollo's runHttpQuery does (POST: the JSON body; GET: the search parameters). Undefined
 * when Apollo will refuse the request before running anything (another method, a body that is not a JSON object,
 * a repeated or unparsable search parameter), so there is nothing to judge.
 */
export const requestedOperation = (request: HTTPGraphQLRequest): RequestedOperation | undefined => {
  if (request.method === 'POST') return fromPost(request.body);
  if (request.method === 'GET') return fromGet(request.search);
  return undefined;
};

/** A minimal GraphQL-over-HTTP client for setting up and checking benchmark scenarios (not for load). */

export type GraphQLAnswer<T> = {
  readonly status: number;
  readonly text: string;
  readonly data: T | null;
  readonly errors: ReadonlyArray<{ readonly message: string; readonly extensions?: { readonly code?: string } }>;
  readonly ms: number;
};

export const graphqlBody = (query: string, variables?: Record<string, unknown>): string =>
  JSON.stringify(variables === undefined ? { query } : { query, variables });

export const jsonHeaders = (token?: string | null): Record<string, string> => ({
  'content-type': 'application/json',
  ...(token ? { authorization: `Bearer ${token}` } : {}),
});

export const postGraphQL = async <T>(url: string, body: string, token?: string | null): Promise<GraphQLAnswer<T>> => {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: jsonHeaders(token), body });
  const text = await response.text();
  const ms = performance.now() - started;
  let parsed: { data?: T | null; errors?: GraphQLAnswer<T>['errors'] } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // Not JSON: the caller sees the status and text.
  }
  return { status: response.status, text, data: parsed.data ?? null, errors: parsed.errors ?? [], ms };
};

/** Like postGraphQL, but any HTTP or GraphQL error is thrown with the answer's beginning. */
export const queryOrThrow = async <T>(
  url: string,
  body: string,
  token?: string | null,
): Promise<GraphQLAnswer<T> & { data: T }> => {
  const answer = await postGraphQL<T>(url, body, token);
  if (answer.status !== 200 || answer.errors.length > 0 || answer.data === null) {
    throw new Error(`GraphQL request to ${url} failed (HTTP ${answer.status}): ${answer.text.slice(0, 500)}`);
  }
  return answer as GraphQLAnswer<T> & { data: T };
};

/** Signs in through the API's own logIn mutation and returns the access token for `Authorization: Bearer`. */
export const logIn = async (url: string, email: string, password: string): Promise<string> => {
  const answer = await queryOrThrow<{ logIn: { accessToken: string } }>(
    url,
    graphqlBody('mutation LogIn($input: LogInInput!) { logIn(input: $input) { accessToken } }', {
      input: { email, password },
    }),
  );
  return answer.data.logIn.accessToken;
};

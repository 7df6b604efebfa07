import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { StatementTimeoutError } from 'slonik';
import { DomainError, type ErrorCategory } from '../../core/errors.ts';
import { isDatabaseUnavailable, SERVICE_UNAVAILABLE } from './database-unavailable.ts';

/** The one table from the core's error categories to GraphQL `extensions.code`. */
const CODE_BY_CATEGORY: Record<ErrorCategory, string> = {
  InvalidInput: 'BAD_USER_INPUT',
  NotFound: 'NOT_FOUND',
  Conflict: 'CONFLICT',
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  RuleViolation: 'BAD_REQUEST',
};

/** Where a domain error has a more precise code than its category, it wins. */
const CODE_BY_ERROR_NAME: Readonly<Record<string, string>> = {
  OutOfStock: 'OUT_OF_STOCK',
  RateLimited: 'RATE_LIMITED',
};

export const codeFor = (error: DomainError): string =>
  CODE_BY_ERROR_NAME[error.name] ?? CODE_BY_CATEGORY[error.category];

/**
 * The error a resolver, the context factory or a plugin actually threw. Apollo's `unwrapResolverError` only
 * unwraps errors raised inside resolvers (those with a path); this also covers the others.
 */
export const originalError = (error: unknown): unknown => {
  let current = error;
  while (current instanceof GraphQLError && current.originalError) current = current.originalError;
  return current;
};

/** Codes Apollo and graphql-js assign to a client's own mistakes: their messages are safe to show. */
const CLIENT_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'INTROSPECTION_DISABLED',
]);

/**
 * Apollo raises a few request errors with an HTTP status of 4xx but no code: an automatic persisted query whose
 * `version` is not 1, or whose `sha256Hash` is not its query's. Without a code they would be masked as our fault;
 * they are the client's mistake (BAD_REQUEST), and Apollo's own message is safe to show.
 */
export const requestErrorCode = (error: unknown): string | undefined => {
  if (!(error instanceof GraphQLError) || error.extensions.code !== undefined) return undefined;
  const status = (error.extensions.http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? 'BAD_REQUEST' : undefined;
};

/**
 * Postgres "data exception" (SQLSTATE class 22: a NUL byte in text, a number out of range, an unparsable date):
 * the request carried a value the database cannot hold, so it is the client's mistake, even when it got past our
 * validation. Looked up through slonik's and pg's `cause` chain.
 */
export const isDataException = (error: unknown): boolean => {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
};

/** Anything that is neither a domain error nor a client mistake is our fault: log it, show nothing of it. */
export const isUnexpected = (error: unknown): boolean => {
  const original = originalError(error);
  if (original instanceof DomainError || isDataException(original) || requestErrorCode(error)) return false;
  const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
  return !(typeof code === 'string' && CLIENT_ERROR_CODES.has(code));
};

/**
 * Apollo `formatError`: domain errors get their code and safe details; unexpected errors become a bare
 * INTERNAL_SERVER_ERROR (the detail is logged with the request id by the error-logging plugin). In development
 * the original message and stack stay visible to help the person at the keyboard.
 */
export const createErrorFormatter =
  (options: { exposeInternals: boolean }) =>
  (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = originalError(error);
    if (original instanceof DomainError) {
      return {
        message: original.message,
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { ...original.details, code: codeFor(original) },
      };
    }
    if (isDatabaseUnavailable(original)) {
      // Never the driver's message, not even in development: the client learns only that it may retry.
      return {
        message: 'The database is unavailable right now; try again shortly',
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: SERVICE_UNAVAILABLE },
      };
    }
    if (isDataException(original)) {
      // Never the database's own message: it may quote the statement.
      return {
        message: 'A value in the request cannot be used here',
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: 'BAD_USER_INPUT' },
      };
    }
    if (original instanceof StatementTimeoutError && !options.exposeInternals) {
      // Still logged as ours (a query that slow is a bug or an overload), but the client learns what happened.
      return {
        message: 'The database took too long to answer; try again later or ask for less',
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: 'TIMEOUT' },
      };
    }
    const requestCode = requestErrorCode(error);
    if (requestCode) return { ...formatted, extensions: { ...formatted.extensions, code: requestCode } };
    if (!isUnexpected(error) || options.exposeInternals) return formatted;
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };

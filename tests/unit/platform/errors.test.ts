import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { DomainError, type ErrorCategory } from '../../../src/core/errors.ts';
import { ConnectionError, StatementTimeoutError } from 'slonik';
import { isDatabaseUnavailable } from '../../../src/platform/graphql/database-unavailable.ts';
import { createErrorFormatter, isUnexpected } from '../../../src/platform/graphql/errors.ts';

/**
 * What Apollo hands formatError for an error thrown by a resolver: graphql-js wraps it in a located GraphQLError
 * (path set, originalError the thrown value), and Apollo adds a code and, in development, a stack trace.
 */
const thrownByResolver = (thrown: Error) => {
  const error = new GraphQLError(thrown.message, {
    path: ['addBatch'],
    originalError: thrown,
    extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: String(thrown.stack).split('\n') },
  });
  const formatted: GraphQLFormattedError = { ...error.toJSON(), locations: [{ line: 2, column: 3 }] };
  return { error, formatted };
};

const production = createErrorFormatter({ exposeInternals: false });
const development = createErrorFormatter({ exposeInternals: true });

describe('formatting errors for GraphQL clients', () => {
  it.each<[ErrorCategory, string]>([
    ['InvalidInput', 'BAD_USER_INPUT'],
    ['NotFound', 'NOT_FOUND'],
    ['Conflict', 'CONFLICT'],
    ['Unauthenticated', 'UNAUTHENTICATED'],
    ['Forbidden', 'FORBIDDEN'],
    ['RuleViolation', 'BAD_REQUEST'],
  ])('answers a %s domain error with code %s and its own message', (category, code) => {
    const { error, formatted } = thrownByResolver(new DomainError(category, 'SomeRule', 'A message safe to show'));

    expect(production(formatted, error)).toEqual({
      message: 'A message safe to show',
      locations: [{ line: 2, column: 3 }],
      path: ['addBatch'],
      extensions: { code },
    });
  });

  it('lets a more precise code for the error’s name win over its category', () => {
    const { error, formatted } = thrownByResolver(new DomainError('RuleViolation', 'OutOfStock', 'Out of stock'));

    expect(production(formatted, error).extensions?.code).toBe('OUT_OF_STOCK');
  });

  it('keeps a domain error’s details next to its code, and never lets them replace the code', () => {
    const details = { field: 'reference', code: 'SPOOFED' };
    const { error, formatted } = thrownByResolver(
      new DomainError('InvalidInput', 'DuplicateBatch', 'Batch b-1 already exists', details),
    );

    expect(production(formatted, error).extensions).toEqual({ field: 'reference', code: 'BAD_USER_INPUT' });
  });

  it('shows no stack trace for a domain error, even in development', () => {
    const { error, formatted } = thrownByResolver(new DomainError('NotFound', 'NoSuchProduct', 'No product SKU-9'));

    expect(development(formatted, error).extensions).not.toHaveProperty('stacktrace');
  });

  it('masks an unexpected error as a bare INTERNAL_SERVER_ERROR, leaking neither its message nor its stack', () => {
    const { error, formatted } = thrownByResolver(
      new Error('syntax error at or near "from" in: select * from secrets'),
    );

    const shown = production(formatted, error);

    expect(shown).toEqual({
      message: 'Internal server error',
      path: ['addBatch'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(JSON.stringify(shown)).not.toMatch(/secrets|stacktrace/);
  });

  it('masks an unexpected error that was thrown outside any resolver too', () => {
    const error = new GraphQLError('connect ECONNREFUSED 10.0.0.7:5432', {
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });

    expect(production(error.toJSON(), error)).toEqual({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('shows an unexpected error as it is when exposing internals (development)', () => {
    const { error, formatted } = thrownByResolver(new Error('select * from secrets failed'));

    expect(development(formatted, error)).toBe(formatted);
  });

  it.each(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_USER_INPUT'])(
    'passes a client mistake coded %s through unchanged',
    (code) => {
      const error = new GraphQLError('Cannot query field "secret" on type "Query".', {
        extensions: { code },
      });
      const formatted = { ...error.toJSON(), locations: [{ line: 1, column: 3 }] };

      expect(production(formatted, error)).toBe(formatted);
    },
  );
});

describe('a statement that ran past DATABASE_STATEMENT_TIMEOUT_MS', () => {
  it('reaches the client as TIMEOUT with a plain message, no SQL, and still counts as our fault (logged)', () => {
    const timeout = new StatementTimeoutError(
      new Error('canceling statement due to statement timeout: select pg_sleep(5)'),
    );
    const thrown = new GraphQLError('canceling statement due to statement timeout', {
      originalError: timeout,
      path: ['products'],
    });
    const formatted = createErrorFormatter({ exposeInternals: false })(
      { message: thrown.message, path: ['products'] },
      thrown,
    );
    expect(formatted).toEqual({
      message: 'The database took too long to answer; try again later or ask for less',
      path: ['products'],
      extensions: { code: 'TIMEOUT' },
    });
    expect(isUnexpected(thrown)).toBe(true);
  });
});

/**
 * What Apollo hands formatError for the request errors it raises before parsing with an HTTP status but no code
 * (requestPipeline.ts: an APQ version other than 1, a hash that is not its query's): Apollo has already put
 * INTERNAL_SERVER_ERROR into the formatted copy and moved `http` out of it; the error keeps both.
 */
const apolloRequestError = (message: string, status: number) => {
  const error = new GraphQLError(message, { extensions: { http: { status, headers: new Map() } } });
  const formatted: GraphQLFormattedError = { message, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  return { error, formatted };
};

describe("Apollo's own request errors", () => {
  it.each(['Unsupported persisted query version', 'provided sha does not match query'])(
    'answers "%s" as BAD_REQUEST with its message, and does not count it as our fault',
    (message) => {
      const { error, formatted } = apolloRequestError(message, 400);

      expect(production(formatted, error)).toEqual({ message, extensions: { code: 'BAD_REQUEST' } });
      expect(isUnexpected(error)).toBe(false);
    },
  );

  it('keeps masking an error without a code whose HTTP status says it is ours (5xx)', () => {
    const { error, formatted } = apolloRequestError('the gateway lost its schema', 503);

    expect(production(formatted, error)).toEqual({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(isUnexpected(error)).toBe(true);
  });

  it('never replaces a code Apollo did give (PERSISTED_QUERY_NOT_FOUND answers 200 with its own code)', () => {
    const error = new GraphQLError('PersistedQueryNotFound', {
      extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 200, headers: new Map() } },
    });
    const formatted: GraphQLFormattedError = {
      message: 'PersistedQueryNotFound',
      extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
    };

    expect(production(formatted, error)).toBe(formatted);
  });
});

describe('a database that cannot be reached', () => {
  /** What slonik throws when no connection can be made: a ConnectionError caused by the socket's error. */
  const refused = (): Error => {
    const socket = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    return new ConnectionError(socket.message, { cause: socket });
  };
  const terminated = (): Error =>
    Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });

  it.each([
    ['refused connections', refused],
    ['a connection the server cut', terminated],
  ])('answers %s with SERVICE_UNAVAILABLE and never the driver message, in production and development', (_, make) => {
    for (const format of [production, development]) {
      const { error, formatted } = thrownByResolver(make());
      expect(format(formatted, error)).toEqual({
        message: 'The database is unavailable right now; try again shortly',
        path: ['addBatch'],
        extensions: { code: 'SERVICE_UNAVAILABLE' },
      });
    }
  });

  it('tells it apart from other database errors', () => {
    expect(isDatabaseUnavailable(refused())).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('deadlock detected'), { code: '40P01' }))).toBe(false);
    expect(isDatabaseUnavailable(new Error('something else'))).toBe(false);
  });
});

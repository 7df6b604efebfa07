/**
 * A database that cannot be reached (stopped, restarting, refusing connections, cutting them) is not the client's
 * mistake and not a bug to hide behind INTERNAL_SERVER_ERROR: the client is told SERVICE_UNAVAILABLE, a code that
 * means "retry later", never the driver's message (it names hosts and ports), and HTTP 503 when nothing of the
 * operation could be answered.
 */
import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import { BackendTerminatedError, BackendTerminatedUnexpectedlyError, ConnectionError } from 'slonik';

export const SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE';

/** Socket errors of a connection that could not be made or was lost. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

/**
 * SQLSTATE class 08 (connection exception), 57P01-57P03 (administrator or crash shutdown, cannot connect now) and
 * 53300 (too many connections): the server is there but will not serve us now.
 */
const UNAVAILABLE_SQLSTATE = /^(?:08[0-9A-Z]{3}|57P0[123]|53300)$/;

/** Looked up through slonik's and pg's `cause` chain, as the error reaches a resolver. */
export const isDatabaseUnavailable = (error: unknown): boolean => {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    if (
      current instanceof ConnectionError ||
      current instanceof BackendTerminatedError ||
      current instanceof BackendTerminatedUnexpectedlyError
    ) {
      return true;
    }
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
};

/** The answer's status: 503 when the database was unavailable and no root field got a value. */
const statusListener: GraphQLRequestListener<BaseContext> = {
  async willSendResponse({ response }) {
    if (response.body.kind !== 'single') return;
    const { data, errors } = response.body.singleResult;
    // Most answers have no error at all: nothing to look at.
    if (!errors) return;
    const unavailable = errors.some((error) => error.extensions?.code === SERVICE_UNAVAILABLE);
    const answeredSomething = Object.values(data ?? {}).some((value) => value !== null && value !== undefined);
    if (unavailable && !answeredSomething) response.http.status = 503;
  },
};
/** One listener for every request (it keeps no state): nothing is allocated per request for it. */
export const databaseUnavailableStatus: ApolloServerPlugin = { requestDidStart: async () => statusListener };

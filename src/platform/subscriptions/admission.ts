/**
 * Who a WebSocket is for, decided once, at `connection_init`, with the very token check HTTP requests use: the
 * `Authorization` entry of the payload (`{ "Authorization": "Bearer <access token>" }`, any case, what Apollo
 * Sandbox sends from its connection settings and what a client sets as graphql-ws `connectionParams`) is what the
 * header is for HTTP. None: anonymous (only @public fields). A bad one: closed with 4403, never a silent downgrade.
 * A check that cannot tell (the database is unavailable): closed with 1013 Try Again Later, which graphql-ws's
 * client retries, and which never tells a client its session ended.
 * Each user (anonymous: each client address) holds at most `perCaller` sockets; one more is closed with 4429.
 */
import { authenticate, type TokenCheck } from '../auth/authenticate.ts';
import type { Viewer } from '../graphql/context.ts';

/** The protocol's code for a refused `connection_init` (graphql-ws's client retries it: a new token may pass). */
export const FORBIDDEN = 4403;
/** Too many sockets for this caller (graphql-ws's client does not retry it). */
export const TOO_MANY_CONNECTIONS = 4429;
/** The server cannot check tokens right now (RFC 6455's Try Again Later; graphql-ws's client retries it). */
export const TRY_AGAIN_LATER = 1013;

const unavailable = (error: unknown): boolean =>
  (error as { extensions?: { http?: { status?: number } } }).extensions?.http?.status === 503;

export type Admission =
  | { readonly admitted: true; readonly viewer: Viewer | null; readonly caller: string }
  | { readonly admitted: false; readonly code: number; readonly reason: string };

/** The connection_init payload's `Authorization` entry, whatever its case; undefined when absent. */
export const authorizationOf = (payload: Readonly<Record<string, unknown>> | undefined): unknown => {
  const key = Object.keys(payload ?? {}).find((name) => name.toLowerCase() === 'authorization');
  return key === undefined ? undefined : payload?.[key];
};

export const createAdmission = (options: { readonly check: TokenCheck; readonly perCaller: number }) => {
  const open = new Map<string, number>();

  return {
    async admit(payload: Readonly<Record<string, unknown>> | undefined, clientAddress: string): Promise<Admission> {
      const authorization = authorizationOf(payload);
      let viewer: Viewer | null;
      try {
        if (authorization !== undefined && typeof authorization !== 'string') throw new Error('not a string');
        viewer = await authenticate(authorization, options.check);
      } catch (error) {
        if (unavailable(error)) {
          return { admitted: false, code: TRY_AGAIN_LATER, reason: 'The database is unavailable; try again shortly' };
        }
        return { admitted: false, code: FORBIDDEN, reason: 'Forbidden: invalid or expired access token' };
      }
      const caller = viewer ? `user:${viewer.userId}` : `address:${clientAddress}`;
      const count = open.get(caller) ?? 0;
      if (count >= options.perCaller) {
        return { admitted: false, code: TOO_MANY_CONNECTIONS, reason: 'Too many connections for this caller' };
      }
      open.set(caller, count + 1);
      return { admitted: true, viewer, caller };
    },
    /** A socket admitted for `caller` has closed. */
    release(caller: string): void {
      const count = (open.get(caller) ?? 1) - 1;
      if (count > 0) open.set(caller, count);
      else open.delete(caller);
    },
  };
};

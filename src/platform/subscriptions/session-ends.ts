/**
 * A WebSocket outlives no session: when the session it was opened with ends (signed out, ended by a password reset
 * or change, revoked for a reused refresh token), on this instance or on any other, the socket is closed with 4403,
 * as when its access token expires, so its subscriptions deliver nothing more. The context that authenticates says
 * which sessions ended (WiredContext.watchEndedSessions, fed by its own commits and by `kingdom_sessions`); when it
 * cannot say which, every socket's token is checked again.
 */
import { authenticate, type TokenCheck } from '../auth/authenticate.ts';
import type { EndedSessions, Viewer } from '../graphql/context.ts';
import type { Logger } from '../../core/ports.ts';

export const SESSION_ENDED = 'Forbidden: the session ended; sign in again';

/** An admitted socket with a caller: who it is for, the Authorization it presented, and how to close it. */
export type SignedInSocket = {
  readonly viewer: Viewer;
  readonly authorization: string;
  close(reason: string): void;
};

const endedFor = (ended: NonNullable<EndedSessions>, viewer: Viewer): boolean =>
  ended.sessionId === viewer.sessionId || ended.userId === viewer.userId;

/** Whether the token still names a live session; true when that cannot be told now (the database is down). */
export const stillSignedIn = async (authorization: string, check: TokenCheck): Promise<boolean> => {
  try {
    return (await authenticate(authorization, check)) !== null;
  } catch (error) {
    const status = (error as { extensions?: { http?: { status?: number } } }).extensions?.http?.status;
    return status === 503;
  }
};

export const closeEndedSessions = async (
  sockets: Iterable<SignedInSocket>,
  ended: EndedSessions,
  check: TokenCheck,
  logger: Logger,
): Promise<void> => {
  const closing: SignedInSocket[] = [];
  if (ended) {
    for (const socket of sockets) if (endedFor(ended, socket.viewer)) closing.push(socket);
  } else {
    const all = [...sockets];
    const live = await Promise.all(all.map((socket) => stillSignedIn(socket.authorization, check)));
    all.forEach((socket, index) => live[index] || closing.push(socket));
  }
  if (closing.length > 0) logger.info({ sockets: closing.length }, 'closing the WebSockets of ended sessions');
  for (const socket of closing) socket.close(SESSION_ENDED);
};

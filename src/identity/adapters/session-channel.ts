import type { CommonQueryMethods } from 'slonik';
import { notify } from '../../platform/database/channels.ts';

/**
 * `kingdom_sessions`: identity's transactions that end sessions announce it here, and every API instance drops what
 * it cached about them (session-liveness.ts), so an ended session's access tokens stop working everywhere.
 * Sent inside the ending transaction: Postgres delivers it when, and only if, that transaction commits.
 *
 * Payload, one of:
 * - `session:<session id>`: that session ended (log-out, refresh-token reuse);
 * - `user:<user id>`: every session of that user ended (password reset, password change).
 */
export const SESSIONS_CHANNEL = 'kingdom_sessions';

export type SessionAnnouncement =
  { readonly session: string; readonly user?: undefined } | { readonly user: string; readonly session?: undefined };

export const announceSessionEnded = (connection: CommonQueryMethods, sessionId: string): Promise<void> =>
  notify(connection, SESSIONS_CHANNEL, `session:${sessionId}`);

export const announceSessionsOfUserEnded = (connection: CommonQueryMethods, userId: string): Promise<void> =>
  notify(connection, SESSIONS_CHANNEL, `user:${userId}`);

const ANNOUNCEMENT = /^(session|user):(.+)$/;

/** Null for a payload of no known form (another version's, or not ours): the listener then drops everything. */
export const parseSessionAnnouncement = (payload: string): SessionAnnouncement | null => {
  const [, kind, id = ''] = ANNOUNCEMENT.exec(payload) ?? [];
  if (kind === 'session') return { session: id };
  if (kind === 'user') return { user: id };
  return null;
};

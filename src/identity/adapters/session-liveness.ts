import { sql, type CommonQueryMethods } from 'slonik';
import { z } from 'zod';
import type { Clock, Logger } from '../../core/ports.ts';
import type { ChannelListener } from '../../platform/database/channels.ts';
import type { EndedSessions } from '../../platform/graphql/context.ts';
import { isUuid } from './rows.ts';
import { parseSessionAnnouncement, SESSIONS_CHANNEL } from './session-channel.ts';

/** What the check needs of a session: whose it is, whether it was ended, and until when it could be refreshed. */
export type SessionStatus = { readonly userId: string; readonly ended: boolean; readonly expiresAt: Date };

export type SessionLiveness = {
  /** True when the session exists, belongs to `userId`, has not been ended and has not expired. */
  isLive(sessionId: string, userId: string): Promise<boolean>;
  /** Drops what this process cached, right after this process committed the end (other instances hear NOTIFY). */
  forgetSession(sessionId: string): void;
  forgetUser(userId: string): void;
  /**
   * Tells `listener` about every end this process learns of, its own (forgetSession, forgetUser) and the other
   * instances' (`kingdom_sessions`); null when it cannot say which (an announcement of no known form, or the LISTEN
   * connection back from an interruption during which announcements may have been missed). Returns how to stop.
   */
  onEnded(listener: (ended: EndedSessions) => void): () => void;
};

export type SessionLivenessOptions = {
  /** One query: the session's status, null when there is no such session. */
  readonly lookup: (sessionId: string) => Promise<SessionStatus | null>;
  /** The API process's LISTEN connection; null: no cache at all (every check is one query). */
  readonly channels: ChannelListener | null;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How many sessions to remember; the oldest entry goes first beyond it. */
  readonly maxEntries?: number;
};

const statusRow = z.object({ userId: z.string(), ended: z.boolean(), expiresAt: z.date() });

/** The lookup on the sessions table (by primary key). */
export const sessionStatusLookup =
  (db: CommonQueryMethods) =>
  async (sessionId: string): Promise<SessionStatus | null> =>
    isUuid(sessionId)
      ? db.maybeOne(sql.type(statusRow)`
          SELECT user_id AS "userId", revoked_at IS NOT NULL AS ended, expires_at AS "expiresAt"
          FROM sessions WHERE id = ${sessionId}`)
      : null;

/**
 * Whether an access token's session is still live, checked on every request. With a LISTEN connection the answer
 * is cached per process, and whatever a committed transaction announces on `kingdom_sessions` (session-channel.ts)
 * is dropped, so the steady state costs no query; an ended session is cached as ended for good (sessions never come
 * back). While the connection is down (`lost` until `restored`) announcements may be missed: the cache is emptied
 * and every check queries. A query that overlaps an announcement is not cached: it may have read the session just
 * before it ended.
 */
export const createSessionLiveness = (options: SessionLivenessOptions): SessionLiveness => {
  const { lookup, channels, clock, logger, maxEntries = 10_000 } = options;
  const cache = new Map<string, SessionStatus>();
  const listeners = new Set<(ended: EndedSessions) => void>();
  const tell = (ended: EndedSessions): void => {
    for (const listener of listeners) {
      try {
        listener(ended);
      } catch (error) {
        logger.error({ err: error }, 'a listener of ended sessions failed');
      }
    }
  };
  // Bumped by every invalidation: a lookup that started before one must not store what it read.
  let generation = 0;

  const forgetAll = (): void => {
    generation += 1;
    cache.clear();
  };
  const forgetSession = (sessionId: string): void => {
    generation += 1;
    cache.delete(sessionId);
    tell({ sessionId });
  };
  const forgetUser = (userId: string): void => {
    generation += 1;
    for (const [sessionId, status] of cache) if (status.userId === userId) cache.delete(sessionId);
    tell({ userId });
  };

  channels?.on(SESSIONS_CHANNEL, (payload) => {
    const announced = parseSessionAnnouncement(payload);
    if (announced?.session !== undefined) forgetSession(announced.session);
    else if (announced?.user !== undefined) forgetUser(announced.user);
    else {
      logger.warn({ channel: SESSIONS_CHANNEL }, 'an announcement of no known form: dropping every cached session');
      forgetAll();
      tell(null);
    }
  });
  // Back from an interruption, sessions may have ended unheard: listeners check every one they hold again (null).
  channels?.onInterruption({
    lost: forgetAll,
    restored: () => {
      forgetAll();
      tell(null);
    },
  });

  const remember = (sessionId: string, status: SessionStatus): void => {
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value ?? '');
    cache.set(sessionId, status);
  };

  const statusOf = async (sessionId: string): Promise<SessionStatus | null> => {
    const cached = channels?.isListening() ? cache.get(sessionId) : undefined;
    if (cached) return cached;
    const started = generation;
    const status = await lookup(sessionId);
    if (status && channels?.isListening() && generation === started) remember(sessionId, status);
    return status;
  };

  return {
    async isLive(sessionId, userId) {
      const status = await statusOf(sessionId);
      return status !== null && status.userId === userId && !status.ended && status.expiresAt > clock.now();
    },
    forgetSession,
    forgetUser,
    onEnded(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
};

import { sql, UniqueIntegrityConstraintViolationError, type DatabaseTransactionConnection } from 'slonik';
import { z } from 'zod';
import { ConcurrentUpdateError } from '../../core/errors.ts';
import type { EventRecorder } from '../../core/ports.ts';
import type { Session } from '../domain/session.ts';
import type { SessionRepository } from '../services/ports.ts';
import { isUuid, sessionColumns, sessionRow, timestamptz } from './rows.ts';
import { announceSessionEnded, announceSessionsOfUserEnded } from './session-channel.ts';

/**
 * Sessions (refresh-token families) with a version check, plus the hashes of the refresh tokens each one has
 * rotated away, so that a replayed token is recognised as retired rather than unknown. Every session it ends is
 * announced on `kingdom_sessions` in the same transaction (session-channel.ts), for the instances that cache it.
 */
export const createSessionRepository = (
  connection: DatabaseTransactionConnection,
  events: EventRecorder,
): SessionRepository => {
  const loaded = new Map<string, Session>();

  const remember = (row: z.infer<typeof sessionRow>): Session => {
    const session: Session = { ...row, retiredTokenHash: null, events: [] };
    loaded.set(session.id, session);
    return session;
  };

  const insertRow = async (session: Session): Promise<void> => {
    try {
      await connection.query(sql.unsafe`
        INSERT INTO sessions (id, user_id, token_hash, expires_at, revoked_at, version, created_at)
        VALUES (${session.id}, ${session.userId}, ${session.tokenHash}, ${sql.timestamp(session.expiresAt)},
                ${timestamptz(session.revokedAt)}, 1, ${sql.timestamp(session.createdAt)})`);
    } catch (error) {
      // The id (or, astronomically unlikely, the token hash) taken by a transaction that committed meanwhile.
      if (error instanceof UniqueIntegrityConstraintViolationError)
        throw new ConcurrentUpdateError(`Session ${session.id}`);
      throw error;
    }
  };

  const updateRow = async (session: Session): Promise<void> => {
    const updated = await connection.maybeOneFirst(sql.type(z.object({ id: z.string() }))`
      UPDATE sessions SET token_hash = ${session.tokenHash}, expires_at = ${sql.timestamp(session.expiresAt)},
        revoked_at = ${timestamptz(session.revokedAt)}, version = version + 1
      WHERE id = ${session.id} AND version = ${session.version}
      RETURNING id`);
    if (updated === null) throw new ConcurrentUpdateError(`Session ${session.id}`);
  };

  return {
    async findByTokenHash(tokenHash) {
      const current = await connection.maybeOne(sql.type(sessionRow)`
        SELECT ${sessionColumns} FROM sessions WHERE sessions.token_hash = ${tokenHash}`);
      if (current) return { status: 'current', session: remember(current) };
      const retired = await connection.maybeOne(sql.type(sessionRow)`
        SELECT ${sessionColumns}
        FROM retired_refresh_tokens JOIN sessions ON sessions.id = retired_refresh_tokens.session_id
        WHERE retired_refresh_tokens.token_hash = ${tokenHash}`);
      return retired ? { status: 'retired', session: remember(retired) } : null;
    },

    async save(session) {
      if (session.version === 0) await insertRow(session);
      else await updateRow(session);
      // Ended now (a new session has issued no access token yet): every instance must stop trusting it.
      if (session.version > 0 && session.revokedAt !== null && !loaded.get(session.id)?.revokedAt) {
        await announceSessionEnded(connection, session.id);
      }
      const retiring = session.retiredTokenHash;
      // Saving the same rotation twice (loaded copy already carries it) must not insert the hash twice.
      if (retiring !== null && retiring !== loaded.get(session.id)?.retiredTokenHash) {
        await connection.query(sql.unsafe`
          INSERT INTO retired_refresh_tokens (token_hash, session_id) VALUES (${retiring}, ${session.id})`);
      }
      events.record(session.events);
      loaded.set(session.id, { ...session, version: session.version + 1, events: [] });
    },

    /**
     * Bumps each version too, so a refresh of one of these sessions that is in flight in another transaction fails
     * its version check (and, retried, finds the session revoked) instead of rotating a revoked session.
     */
    async revokeAllOf(userId, now) {
      if (!isUuid(userId)) return;
      await connection.query(sql.unsafe`
        UPDATE sessions SET revoked_at = ${sql.timestamp(now)}, version = version + 1
        WHERE user_id = ${userId} AND revoked_at IS NULL`);
      await announceSessionsOfUserEnded(connection, userId);
    },
  };
};

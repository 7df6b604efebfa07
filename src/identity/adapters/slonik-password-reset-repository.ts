import { sql, UniqueIntegrityConstraintViolationError, type DatabaseTransactionConnection } from 'slonik';
import { z } from 'zod';
import { ConcurrentUpdateError } from '../../core/errors.ts';
import type { EventRecorder } from '../../core/ports.ts';
import type { PasswordResetRepository } from '../services/ports.ts';
import { isUuid, passwordResetRow, timestamptz } from './rows.ts';

const COLUMNS = sql.fragment`
  id, token_hash AS "tokenHash", user_id AS "userId", expires_at AS "expiresAt", used_at AS "usedAt",
  revoked_at AS "revokedAt", created_at AS "createdAt"`;

const lastIssued = z.object({ createdAt: z.date().nullable() });
const updated = z.object({ id: z.string() });

/**
 * password_resets: one row per request, holding the hash of its token once the email is sent (never the token);
 * spent rows stay until they expire (then are purged).
 */
export const createPasswordResetRepository = (
  connection: DatabaseTransactionConnection,
  events: EventRecorder,
): PasswordResetRepository => ({
  async findById(id) {
    if (!isUuid(id)) return null;
    const row = await connection.maybeOne(sql.type(passwordResetRow)`
      SELECT ${COLUMNS} FROM password_resets WHERE id = ${id}`);
    return row ? { ...row, events: [] } : null;
  },

  async findByHash(tokenHash) {
    const row = await connection.maybeOne(sql.type(passwordResetRow)`
      SELECT ${COLUMNS} FROM password_resets WHERE token_hash = ${tokenHash}`);
    return row ? { ...row, events: [] } : null;
  },

  async lastIssuedFor(userId) {
    if (!isUuid(userId)) return null;
    // The account's row is the lock: a second request for it waits here until the first commits, and its next
    // statement (READ COMMITTED: a new snapshot) then sees the first one's reset.
    await connection.query(sql.unsafe`SELECT id FROM users WHERE id = ${userId} FOR UPDATE`);
    return connection.oneFirst(sql.type(lastIssued)`
      SELECT max(created_at) AS "createdAt" FROM password_resets WHERE user_id = ${userId}`);
  },

  async add(reset) {
    try {
      await connection.query(sql.unsafe`
        INSERT INTO password_resets (id, token_hash, user_id, expires_at, used_at, revoked_at, created_at)
        VALUES (${reset.id}, ${reset.tokenHash}, ${reset.userId}, ${sql.timestamp(reset.expiresAt)},
                ${timestamptz(reset.usedAt)}, ${timestamptz(reset.revokedAt)}, ${sql.timestamp(reset.createdAt)})`);
    } catch (error) {
      // Only a retried attempt could insert the same id twice: let the unit of work re-run it.
      if (error instanceof UniqueIntegrityConstraintViolationError) throw new ConcurrentUpdateError('Password reset');
      throw error;
    }
    events.record(reset.events);
  },

  async setTokenHash(id, tokenHash) {
    // Conditional: a reset revoked, spent or minted by another delivery meanwhile keeps what it has.
    const minted = await connection.maybeOneFirst(sql.type(updated)`
      UPDATE password_resets SET token_hash = ${tokenHash}
      WHERE id = ${id} AND token_hash IS NULL AND used_at IS NULL AND revoked_at IS NULL
      RETURNING id`);
    if (minted === null) throw new ConcurrentUpdateError('Password reset');
  },

  async markUsed(tokenHash, now) {
    // Conditional, so of two redemptions at once the second (which waits for the first's row lock) updates nothing.
    const spent = await connection.maybeOneFirst(sql.type(updated)`
      UPDATE password_resets SET used_at = ${sql.timestamp(now)}
      WHERE token_hash = ${tokenHash} AND used_at IS NULL AND revoked_at IS NULL
      RETURNING id`);
    if (spent === null) throw new ConcurrentUpdateError('Password reset');
  },

  async revokeAllOf(userId, now) {
    if (!isUuid(userId)) return;
    await connection.query(sql.unsafe`
      UPDATE password_resets SET revoked_at = ${sql.timestamp(now)}
      WHERE user_id = ${userId} AND used_at IS NULL AND revoked_at IS NULL`);
  },

  async deleteExpiredOf(userId, before) {
    if (!isUuid(userId)) return;
    await connection.query(sql.unsafe`
      DELETE FROM password_resets WHERE user_id = ${userId} AND expires_at < ${sql.timestamp(before)}`);
  },
});

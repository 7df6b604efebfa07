import { sql, UniqueIntegrityConstraintViolationError, type DatabaseTransactionConnection } from 'slonik';
import { z } from 'zod';
import { ConcurrentUpdateError } from '../../core/errors.ts';
import type { EventRecorder } from '../../core/ports.ts';
import type { PasswordResetRepository } from '../services/ports.ts';
import { isUuid, passwordResetRow, timestamptz } from './rows.ts';

const COLUMNS = sql.fragment`
  token_hash AS "tokenHash", user_id AS "userId", expires_at AS "expiresAt", used_at AS "usedAt",
  revoked_at AS "revokedAt", created_at AS "createdAt"`;

const lastIssued = z.object({ createdAt: z.date().nullable() });

/** password_reset_tokens: only hashes, one row per request; spent rows stay until they expire (then are purged). */
export const createPasswordResetRepository = (
  connection: DatabaseTransactionConnection,
  events: EventRecorder,
): PasswordResetRepository => ({
  async findByHash(tokenHash) {
    const row = await connection.maybeOne(sql.type(passwordResetRow)`
      SELECT ${COLUMNS} FROM password_reset_tokens WHERE token_hash = ${tokenHash}`);
    return row ? { ...row, events: [] } : null;
  },

  async lastIssuedFor(userId) {
    if (!isUuid(userId)) return null;
    // The account's row is the lock: a second request for it waits here until the first commits, and its next
    // statement (READ COMMITTED: a new snapshot) then sees the first one's token.
    await connection.query(sql.unsafe`SELECT id FROM users WHERE id = ${userId} FOR UPDATE`);
    return connection.oneFirst(sql.type(lastIssued)`
      SELECT max(created_at) AS "createdAt" FROM password_reset_tokens WHERE user_id = ${userId}`);
  },

  async add(token) {
    try {
      await connection.query(sql.unsafe`
        INSERT INTO password_reset_tokens (token_hash, user_id, expires_at, used_at, revoked_at, created_at)
        VALUES (${token.tokenHash}, ${token.userId}, ${sql.timestamp(token.expiresAt)}, ${timestamptz(token.usedAt)},
                ${timestamptz(token.revokedAt)}, ${sql.timestamp(token.createdAt)})`);
    } catch (error) {
      // Only a retried attempt could insert the same 256-bit token twice: let the unit of work re-run it.
      if (error instanceof UniqueIntegrityConstraintViolationError)
        throw new ConcurrentUpdateError('Password reset token');
      throw error;
    }
    events.record(token.events);
  },

  async markUsed(tokenHash, now) {
    // Conditional, so of two redemptions at once the second (which waits for the first's row lock) updates nothing.
    const updated = await connection.maybeOneFirst(sql.type(z.object({ tokenHash: z.string() }))`
      UPDATE password_reset_tokens SET used_at = ${sql.timestamp(now)}
      WHERE token_hash = ${tokenHash} AND used_at IS NULL AND revoked_at IS NULL
      RETURNING token_hash AS "tokenHash"`);
    if (updated === null) throw new ConcurrentUpdateError('Password reset token');
  },

  async revokeAllOf(userId, now) {
    if (!isUuid(userId)) return;
    await connection.query(sql.unsafe`
      UPDATE password_reset_tokens SET revoked_at = ${sql.timestamp(now)}
      WHERE user_id = ${userId} AND used_at IS NULL AND revoked_at IS NULL`);
  },

  async deleteExpiredOf(userId, before) {
    if (!isUuid(userId)) return;
    await connection.query(sql.unsafe`
      DELETE FROM password_reset_tokens WHERE user_id = ${userId} AND expires_at < ${sql.timestamp(before)}`);
  },
});

import { sql, UniqueIntegrityConstraintViolationError, type DatabaseTransactionConnection } from 'slonik';
import { ConcurrentUpdateError } from '../../core/errors.ts';
import type { Inbox } from '../../core/ports.ts';
import { isUuid } from '../../core/uuid.ts';

/**
 * A message whose id can never be recorded: every retry would fail the same way, so the transport should stop
 * retrying it (dead-letter it) rather than treat it as a passing database error.
 */
export class PoisonMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PoisonMessageError';
  }
}

/**
 * The processed_messages table, in the consumer's transaction. SELECT first, so the usual repeat raises no SQL error.
 * Two deliveries at once both find nothing; the second INSERT waits for the first transaction and then violates the
 * primary key. That becomes a ConcurrentUpdateError, so the unit of work re-runs the whole transaction, whose SELECT
 * now sees the row (or, if the first rolled back, whose INSERT now succeeds): exactly one effect either way.
 */
export const createSlonikInbox = (connection: DatabaseTransactionConnection): Inbox => ({
  async firstDelivery(messageId, consumer) {
    // Checked here: Postgres would refuse it as a uuid syntax error, which reads like a database fault.
    if (!isUuid(messageId)) {
      throw new PoisonMessageError(
        `Message id ${JSON.stringify(messageId)} for ${consumer} is not a UUID; it cannot be processed`,
      );
    }
    const seen = await connection.exists(sql.unsafe`
      SELECT 1 FROM processed_messages WHERE message_id = ${messageId}::uuid AND consumer = ${consumer}`);
    if (seen) return false;
    try {
      await connection.query(sql.unsafe`
        INSERT INTO processed_messages (message_id, consumer) VALUES (${messageId}::uuid, ${consumer})`);
    } catch (error) {
      if (error instanceof UniqueIntegrityConstraintViolationError) {
        throw new ConcurrentUpdateError(`Delivery of message ${messageId} to ${consumer}`);
      }
      throw error;
    }
    return true;
  },
});

import type { Envelope } from '../../core/messages.ts';
import type { TaskDefinition } from '../../core/tasks.ts';
import type { PasswordResetRequested } from '../domain/events.ts';
import { isMailable } from '../domain/password-reset.ts';
import { passwordResetEmail } from '../domain/password-reset-email.ts';
import type { IdentityTaskDependencies } from './ports.ts';

/**
 * Mints the reset link's token and mails it: the token's hash, the inbox row and the mail share one transaction, so
 * the token exists only in the email (and its hash in password_resets), never in the job's payload. Idempotent like
 * every task: exactly once with the sent_emails table; over SMTP a crash between sending and committing sends again,
 * with a new token, and the first email's link then does not work (its hash was never kept). A reset that no longer
 * works by the time the job runs (used, superseded by a newer request or a password change, expired) is not sent.
 * Nothing here logs the token, and errors never quote it (docs/decisions/0008-reset-tokens-minted-when-mailed.md).
 */
export const sendPasswordResetEmail = async (
  { id, event }: Envelope<PasswordResetRequested>,
  { uow, clock, settings, resetTokens }: IdentityTaskDependencies,
): Promise<void> => {
  const now = clock.now();
  await uow.transaction('READ COMMITTED', async ({ inbox, mail, passwordResets }) => {
    if (!(await inbox.firstDelivery(id, 'sendPasswordResetEmail'))) return;
    // A payload queued before resets had ids names none: nothing to mail (the account holder asks again).
    const reset = await passwordResets.findById(event.resetId);
    if (!reset || !isMailable(reset, now)) return;
    // Minted inside the attempt: a retried transaction mints (and keeps the hash of) a token of its own.
    const token = resetTokens.generate();
    await passwordResets.setTokenHash(reset.id, resetTokens.hash(token));
    await mail.send(
      passwordResetEmail({ to: event.email, token, expiresAt: reset.expiresAt, publicUrl: settings.publicUrl }),
    );
  });
};

export const identityTasks: {
  readonly sendPasswordResetEmail: TaskDefinition<PasswordResetRequested, IdentityTaskDependencies>;
} = {
  sendPasswordResetEmail: { on: 'PasswordResetRequested', handle: sendPasswordResetEmail },
};

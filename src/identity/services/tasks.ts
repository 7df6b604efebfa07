import type { Envelope } from '../../core/messages.ts';
import type { TaskDefinition } from '../../core/tasks.ts';
import type { PasswordResetRequested } from '../domain/events.ts';
import { isRedeemable } from '../domain/password-reset.ts';
import { passwordResetEmail } from '../domain/password-reset-email.ts';
import type { IdentityTaskDependencies } from './ports.ts';

/**
 * Mails the reset link. Idempotent like every task: the inbox row and the mail share one transaction (exactly once
 * with the sent_emails table; over SMTP a crash between sending and committing sends again). A link that no longer
 * works by the time the job runs (used, superseded by a newer request or a password change, expired) is not sent.
 * The token is in the envelope: nothing here logs it, and errors never quote it.
 */
export const sendPasswordResetEmail = async (
  { id, event }: Envelope<PasswordResetRequested>,
  { uow, clock, settings }: IdentityTaskDependencies,
): Promise<void> => {
  const now = clock.now();
  await uow.transaction('READ COMMITTED', async ({ inbox, mail, passwordResets }) => {
    if (!(await inbox.firstDelivery(id, 'sendPasswordResetEmail'))) return;
    const stored = await passwordResets.findByHash(event.tokenHash);
    if (!stored || !isRedeemable(stored, now)) return;
    await mail.send(
      passwordResetEmail({
        to: event.email,
        token: event.token,
        expiresAt: stored.expiresAt,
        publicUrl: settings.publicUrl,
      }),
    );
  });
};

export const identityTasks: {
  readonly sendPasswordResetEmail: TaskDefinition<PasswordResetRequested, IdentityTaskDependencies>;
} = {
  sendPasswordResetEmail: { on: 'PasswordResetRequested', handle: sendPasswordResetEmail },
};

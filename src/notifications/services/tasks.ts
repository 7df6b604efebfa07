import type { Envelope } from '../../core/messages.ts';
import type { TaskDefinition } from '../../core/tasks.ts';
import type { OutOfStock } from '../../inventory/domain/events.ts';
import { outOfStockEmails } from '../domain/out-of-stock-email.ts';
import type { NotificationDependencies } from './ports.ts';

/**
 * Mails the warehouse about an order line no batch could hold. Deliveries repeat, so the inbox row and the mail
 * share one transaction: with the sent_emails table that is exactly once; over SMTP, which no transaction can take
 * back, a crash between sending and committing sends again on the next delivery (at least once, never zero times).
 * The inbox goes first, so a concurrent duplicate delivery is turned away before it sends anything.
 */
export const notifyOutOfStock = async (
  envelope: Envelope<OutOfStock>,
  deps: NotificationDependencies,
): Promise<void> => {
  await deps.uow.transaction('READ COMMITTED', async ({ inbox, mail }) => {
    if (!(await inbox.firstDelivery(envelope.id, 'notifyOutOfStock'))) return;
    for (const email of outOfStockEmails(envelope.event, deps.settings.outOfStockRecipients)) await mail.send(email);
  });
};

export const notificationTasks: {
  readonly notifyOutOfStock: TaskDefinition<OutOfStock, NotificationDependencies>;
} = {
  notifyOutOfStock: { on: 'OutOfStock', handle: notifyOutOfStock },
};

import type { EmailSender, Inbox, UnitOfWork } from '../../core/ports.ts';

/** Both live in the task's transaction: the inbox row and the mail commit or roll back together. */
export type NotificationRepositories = {
  readonly inbox: Inbox;
  readonly mail: EmailSender;
};

export type NotificationSettings = {
  /** Who hears about orders no batch could hold (the warehouse team). */
  readonly outOfStockRecipients: readonly string[];
  /** The sender address, for transports that put one on the message (SMTP). */
  readonly from: string;
};

/** What every notification task may use, injected by the composition root (src/bootstrap.ts), fresh per delivery. */
export type NotificationDependencies = {
  readonly uow: UnitOfWork<NotificationRepositories>;
  readonly settings: NotificationSettings;
};

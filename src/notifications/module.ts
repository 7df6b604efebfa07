/**
 * The notifications context as the shell sees it (listed in src/contexts.ts): background tasks that mail people
 * about events other contexts commit. No commands, no views, no GraphQL of its own.
 */
import type { UnitOfWork } from '../core/ports.ts';
import { bindTasks } from '../core/tasks.ts';
import type { ContextShell, Module } from '../platform/context-module.ts';
import { createSlonikInbox } from '../platform/database/inbox.ts';
import type { NotificationDependencies, NotificationRepositories, NotificationSettings } from './services/ports.ts';
import { notificationTasks } from './services/tasks.ts';

/** Tests replace what they isolate: the unit of work (inbox and mail) and who is told. */
export type NotificationOverrides = {
  readonly unitOfWork?: () => UnitOfWork<NotificationRepositories>;
  readonly settings?: NotificationSettings;
};

const wire = (shell: ContextShell, overrides: NotificationOverrides = {}) => {
  const settings = overrides.settings ?? {
    outOfStockRecipients: shell.config.OUT_OF_STOCK_NOTIFY,
    from: shell.config.EMAIL_FROM,
  };
  const unitOfWork =
    overrides.unitOfWork ??
    (() =>
      shell.unitOfWork<NotificationRepositories>((connection) => ({
        inbox: createSlonikInbox(connection),
        mail: shell.mail(connection),
      })));
  const dependencies = (): NotificationDependencies => ({ uow: unitOfWork(), settings });
  return { tasks: bindTasks(notificationTasks, dependencies) };
};

export const notifications: Module<'notifications', typeof wire> = {
  name: 'notifications',
  wire,
};

import type { BootstrapOptions } from '../bootstrap.ts';
import type { Config } from './config.ts';
import { createSmtpEmailSender, type SmtpEmailSender } from './email/smtp-email-sender.ts';

/**
 * The composition-root options every process derives the same way from its configuration (the API, the worker and
 * the Lambda handler run the same handlers and tasks): retries, jobs, notifications and, with EMAIL_TRANSPORT=smtp,
 * the SMTP sender (returned too, for the process to close on shutdown).
 */
export const sharedBootstrapOptions = (
  config: Config,
): Pick<BootstrapOptions, 'retryPolicy' | 'jobMaxAttempts' | 'notifications' | 'emailSender' | 'publicUrl'> & {
  readonly smtp: SmtpEmailSender | undefined;
} => {
  const smtp =
    config.EMAIL_TRANSPORT === 'smtp' && config.SMTP_URL
      ? createSmtpEmailSender({ url: config.SMTP_URL, from: config.EMAIL_FROM })
      : undefined;
  return {
    retryPolicy: { maxAttempts: config.TRANSACTION_MAX_ATTEMPTS, baseDelayMs: config.TRANSACTION_RETRY_BASE_DELAY_MS },
    jobMaxAttempts: config.JOB_MAX_ATTEMPTS,
    notifications: { outOfStockRecipients: config.OUT_OF_STOCK_NOTIFY, from: config.EMAIL_FROM },
    publicUrl: config.publicUrl,
    ...(smtp ? { emailSender: smtp } : {}),
    smtp,
  };
};

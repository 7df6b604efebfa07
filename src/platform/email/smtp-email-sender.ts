import { createTransport } from 'nodemailer';
import type { EmailSender } from '../../core/ports.ts';

export type SmtpEmailSender = EmailSender & {
  /** Releases the transport's connections; call on shutdown. */
  close(): void;
};

/**
 * nodemailer's defaults wait minutes for a silent server (2 min to connect, 10 min idle). A task sends inside its
 * database transaction, so a hung server would hold that transaction open: fail fast instead and let the job retry.
 * Query parameters of the URL (`?connectionTimeout=...`) still override these.
 */
const TIMEOUTS_MS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as const;

/**
 * Mail over SMTP. `url` is nodemailer's connection URL (`smtp://user:pass@host:587`, `smtps://...` for implicit TLS);
 * `from` is put on every message. `send` resolves once the server accepted the message and rejects otherwise.
 */
export const createSmtpEmailSender = (options: { readonly url: string; readonly from: string }): SmtpEmailSender => {
  const transport = createTransport({ url: options.url, ...TIMEOUTS_MS });
  return {
    send: async ({ to, subject, body }) => {
      await transport.sendMail({ from: options.from, to, subject, text: body });
    },
    close: () => transport.close(),
  };
};

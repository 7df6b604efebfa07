import type { Email } from '../../core/ports.ts';

/** What the reset email needs: where it goes, the token in clear, and where the web app lives (PUBLIC_URL). */
export type PasswordResetMail = {
  readonly to: string;
  readonly token: string;
  readonly expiresAt: Date;
  /** The configured public address of the web app, never one taken from a request. */
  readonly publicUrl: string;
};

/** `${publicUrl}/reset-password?token=...`: the web app's page reads the token and calls resetPassword with it. */
export const passwordResetLink = (publicUrl: string, token: string): string =>
  `${publicUrl.replace(/\/+$/, '')}/reset-password?token=${encodeURIComponent(token)}`;

/** Plain text: the link, when it stops working, and what to do when the request was not yours. */
export const passwordResetEmail = ({ to, token, expiresAt, publicUrl }: PasswordResetMail): Email => ({
  to,
  subject: 'Reset your Kingdom password',
  body: [
    `Someone asked to reset the password of the Kingdom account ${to}. To choose a new password, open:`,
    '',
    passwordResetLink(publicUrl, token),
    '',
    `The link works once, until ${expiresAt.toISOString().replace('T', ' ').slice(0, 16)} UTC.`,
    'If you did not ask for this, ignore this email: your password stays as it is.',
  ].join('\n'),
});

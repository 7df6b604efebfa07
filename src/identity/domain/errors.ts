import { DomainError } from '../../core/errors.ts';

/**
 * The identity failures a caller sees. Factories, not constants, so each throw gets its own stack; the two
 * Unauthenticated ones deliberately carry no details, so no field or reason tells an attacker which check failed.
 */
export const emailTaken = (): DomainError =>
  new DomainError('InvalidInput', 'EmailTaken', 'An account with this email already exists', { field: 'email' });

/** Unknown email, wrong password and a locked account all end here, indistinguishably. */
export const invalidCredentials = (): DomainError =>
  new DomainError('Unauthenticated', 'InvalidCredentials', 'Invalid email or password');

/** Unknown, expired, revoked and replayed refresh tokens all end here. */
export const invalidRefreshToken = (): DomainError =>
  new DomainError('Unauthenticated', 'InvalidRefreshToken', 'Invalid or expired refresh token');

/** Unknown, expired, used and superseded reset tokens all end here: the link is dead, whatever the reason. */
export const invalidResetToken = (): DomainError =>
  new DomainError('Unauthenticated', 'InvalidResetToken', 'Invalid or expired password reset link; request a new one');

/**
 * changePassword with a wrong current password (or while the account is locked, like logIn). A form error for a
 * signed-in caller, not UNAUTHENTICATED: their session is fine, and clients sign out on UNAUTHENTICATED.
 */
export const wrongCurrentPassword = (): DomainError =>
  new DomainError('InvalidInput', 'WrongPassword', 'currentPassword is not the current password', {
    field: 'currentPassword',
  });

/** A new password that is the current one changes nothing, which defeats a change made after a compromise. */
export const samePassword = (): DomainError =>
  new DomainError('InvalidInput', 'SamePassword', 'newPassword must differ from the current password', {
    field: 'newPassword',
  });

/** resetPassword with the current password: the link is spent (no oracle for the old password), and not needed. */
export const samePasswordLinkSpent = (): DomainError =>
  new DomainError(
    'InvalidInput',
    'SamePassword',
    'newPassword is the current password: log in with it (this reset link is now used up)',
    { field: 'newPassword' },
  );

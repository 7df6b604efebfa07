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

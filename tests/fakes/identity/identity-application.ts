import { bindCommandHandlers, bindEventHandlers, createMessageBus, mergeEventRoutes } from '../../../src/core/bus.ts';
import { DomainError } from '../../../src/core/errors.ts';
import type { LogIn, SignUp } from '../../../src/identity/domain/commands.ts';
import type { IdentityEvent } from '../../../src/identity/domain/events.ts';
import { identityCommandHandlers, identityEventHandlers } from '../../../src/identity/services/handlers.ts';
import type { IdentityPolicy } from '../../../src/identity/services/ports.ts';
import { RecordingLogger } from '../recording-logger.ts';
import { createFakeIdentityDependencies } from './fake-identity-dependencies.ts';
import { recordingSubscriber } from '../recording-subscriber.ts';

const IDENTITY_EVENTS: ReadonlyArray<IdentityEvent['type']> = [
  'UserSignedUp',
  'LoginFailed',
  'AccountLocked',
  'RefreshTokenReused',
  'PasswordResetRequested',
  'PasswordChanged',
];

/**
 * The identity handlers on a real message bus over fakes, plus `published`: every identity event the bus delivered
 * to subscribers (so only events of committed transactions), in order.
 */
export const identityApplication = (overrides: { policy?: Partial<IdentityPolicy> } = {}) => {
  const fakes = createFakeIdentityDependencies(overrides);
  const { published, record } = recordingSubscriber<IdentityEvent>();
  const bus = createMessageBus({
    commands: bindCommandHandlers(identityCommandHandlers, fakes.dependencies),
    events: mergeEventRoutes(
      bindEventHandlers(identityEventHandlers, fakes.dependencies),
      Object.fromEntries(IDENTITY_EVENTS.map((type) => [type, [record]])),
    ),
    logger: new RecordingLogger(),
  });
  return { ...fakes, bus, published };
};

export const signUpCommand = (overrides: Partial<SignUp> = {}): SignUp => ({
  type: 'SignUp',
  email: 'ada@example.com',
  password: 'correct horse',
  name: 'Ada',
  ...overrides,
});

export const logInCommand = (overrides: Partial<LogIn> = {}): LogIn => ({
  type: 'LogIn',
  email: 'ada@example.com',
  password: 'correct horse',
  ...overrides,
});

/** The DomainError `promise` rejects with (fails the test if it resolves or rejects with anything else). */
export const rejectionOf = async (promise: Promise<unknown>): Promise<DomainError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, the promise resolved');
};

/** Everything a client could see of an error, to compare two failures for indistinguishability. */
export const visible = (error: DomainError) => ({
  class: error.constructor.name,
  name: error.name,
  category: error.category,
  message: error.message,
  details: error.details,
});

import { bindCommandHandlers, bindEventHandlers, createMessageBus, mergeEventRoutes } from '../../../src/core/bus.ts';
import { DomainError } from '../../../src/core/errors.ts';
import type { LogIn, SignUp } from '../../../src/identity/domain/commands.ts';
import type { IdentityEvent } from '../../../src/identity/domain/events.ts';
import type { PasswordResetRequested } from '../../../src/identity/domain/events.ts';
import { identityCommandHandlers, identityEventHandlers } from '../../../src/identity/services/handlers.ts';
import type { IdentityPolicy } from '../../../src/identity/services/ports.ts';
import { sendPasswordResetEmail } from '../../../src/identity/services/tasks.ts';
import { FakeIdentityTaskUnitOfWork } from './fake-identity-task-unit-of-work.ts';
import { RecordingLogger } from '../recording-logger.ts';
import { createFakeIdentityDependencies } from './fake-identity-dependencies.ts';
import { recordingSubscriber } from '../recording-subscriber.ts';

const IDENTITY_EVENTS: ReadonlyArray<IdentityEvent['type']> = [
  'UserSignedUp',
  'LoginFailed',
  'AccountLocked',
  'RefreshTokenReused',
  'LoggedOut',
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
  return { ...fakes, bus, published, deliverResetEmails: resetEmailJob(fakes) };
};

/** Where the fake worker's reset links point. */
export const FAKE_PUBLIC_URL = 'https://kingdom.test';

/**
 * The reset email's job as the worker runs it, over the same resets, clock and token factory as the handlers: each
 * call delivers every reset requested since the previous one and answers the tokens the emails carried, in order.
 */
const resetEmailJob = (fakes: ReturnType<typeof createFakeIdentityDependencies>) => {
  const mailer = new FakeIdentityTaskUnitOfWork(fakes.store.passwordResets);
  let delivered = 0;
  return async (): Promise<string[]> => {
    const requested = fakes.store.committedEvents.filter(
      (event): event is PasswordResetRequested => event.type === 'PasswordResetRequested',
    );
    const sentBefore = mailer.mailroom.sent.length;
    for (const event of requested.slice(delivered)) {
      delivered += 1;
      await sendPasswordResetEmail(
        { id: `envelope-${delivered}`, event, occurredAt: fakes.clock.now().toISOString() },
        { uow: mailer, clock: fakes.clock, settings: { publicUrl: FAKE_PUBLIC_URL }, resetTokens: fakes.resetTokens },
      );
    }
    return mailer.mailroom.sent
      .slice(sentBefore)
      .map((email) => new URL(/^(https:\/\/\S+)$/m.exec(email.body)?.[1] ?? '').searchParams.get('token') ?? '');
  };
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

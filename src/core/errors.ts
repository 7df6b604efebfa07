/**
 * The categories of failure the business core can report. The GraphQL shell turns them into
 * `extensions.code` in one table (src/platform/graphql/errors.ts); the core never knows GraphQL.
 */
export type ErrorCategory =
  'InvalidInput' | 'NotFound' | 'Conflict' | 'Unauthenticated' | 'Forbidden' | 'RuleViolation';

/** A failure the caller can act on: its message is safe to show, unlike any other error. */
export class DomainError extends Error {
  readonly category: ErrorCategory;
  /** e.g. the offending input path, for clients that highlight a form field. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(category: ErrorCategory, name: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = name;
    this.category = category;
    this.details = details;
  }
}

/** The bus was given a message nobody registered: a wiring bug, reported as a typed error, never a crash. */
export class UnknownMessageError extends Error {
  readonly messageType: string;

  constructor(messageType: string) {
    super(`No handler is registered for message type "${messageType}"`);
    this.name = 'UnknownMessageError';
    this.messageType = messageType;
  }
}

/**
 * An aggregate changed under us between load and save (optimistic version check failed).
 * Units of work retry it like a serialization failure; the caller only sees it as a Conflict
 * once every attempt has lost.
 */
export class ConcurrentUpdateError extends Error {
  constructor(what: string) {
    super(`${what} was changed by a concurrent transaction`);
    this.name = 'ConcurrentUpdateError';
  }
}

export const conflictAfterRetries = (attempts: number, lastError: unknown): DomainError => {
  const error = new DomainError(
    'Conflict',
    'ConcurrentModification',
    'The change collided with concurrent changes to the same data; please try again',
    { attempts },
  );
  // Kept for logs and debugging; never shown to the client (only message and details are).
  error.cause = lastError;
  return error;
};

import {
  ConcurrentUpdateError,
  conflictAfterRetries,
  DomainError,
  UnknownMessageError,
} from '../../../src/core/errors.ts';

describe('the errors of the core', () => {
  it('a domain error carries its category, name, message and details, with no details by default', () => {
    const error = new DomainError('NotFound', 'ProductNotFound', 'No product LAMP', { field: 'sku' });

    expect(error).toMatchObject({
      category: 'NotFound',
      name: 'ProductNotFound',
      message: 'No product LAMP',
      details: { field: 'sku' },
    });
    expect(new DomainError('Conflict', 'X', 'y').details).toEqual({});
  });

  it('an unknown message names its type, in the message and as a field', () => {
    const error = new UnknownMessageError('Teleport');

    expect(error).toMatchObject({
      name: 'UnknownMessageError',
      messageType: 'Teleport',
      message: 'No handler is registered for message type "Teleport"',
    });
  });

  it('a concurrent update says what changed under it', () => {
    expect(new ConcurrentUpdateError('Product LAMP')).toMatchObject({
      name: 'ConcurrentUpdateError',
      message: 'Product LAMP was changed by a concurrent transaction',
    });
  });

  it('a conflict after retries tells the client to try again and how often we did, keeping the cause for logs only', () => {
    const lastError = new ConcurrentUpdateError('Product LAMP');

    const conflict = conflictAfterRetries(5, lastError);

    expect(conflict).toMatchObject({
      category: 'Conflict',
      name: 'ConcurrentModification',
      message: 'The change collided with concurrent changes to the same data; please try again',
      details: { attempts: 5 },
    });
    expect(conflict.cause).toBe(lastError);
  });
});

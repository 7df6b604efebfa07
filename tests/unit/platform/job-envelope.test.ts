import { parseEnvelope } from '../../../src/platform/jobs/worker-runner.ts';

const valid = {
  id: '0b6a4f8e-3c1d-4e2f-9a7b-5c6d7e8f9a0b',
  event: { type: 'OutOfStock', sku: 'LAMP', orderId: 'o-1', quantity: 2 },
  occurredAt: '2026-11-25T10:00:00.000Z',
};

describe('a job payload reaching a task', () => {
  test('an Envelope of the event the task handles passes through whole', () => {
    expect(parseEnvelope('notifyOutOfStock', 'OutOfStock', valid)).toEqual(valid);
  });

  test('a malformed one fails with the task and the offending fields named, never their values', () => {
    const run = () =>
      parseEnvelope('notifyOutOfStock', 'OutOfStock', { ...valid, id: 'secret-looking-id', occurredAt: 7 });
    expect(run).toThrow(/^notifyOutOfStock: the job's payload is not an Envelope \(id: .+; occurredAt: .+\)$/);
    expect(run).not.toThrow(/secret-looking-id/);
  });

  test('anything but an object is refused too', () => {
    expect(() => parseEnvelope('notifyOutOfStock', 'OutOfStock', 'hello')).toThrow(/not an Envelope \(\(payload\): /);
  });

  test('an Envelope of another event is refused: the job was routed to the wrong task', () => {
    expect(() => parseEnvelope('notifyOutOfStock', 'OutOfStock', { ...valid, event: { type: 'Allocated' } })).toThrow(
      'notifyOutOfStock: handles OutOfStock events, but the job carries Allocated',
    );
  });
});

import { createFollower } from '../../../../src/platform/subscriptions/follower.ts';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("one subscriber's queue of changes", () => {
  test('hands over changes in the order they came; one already waiting is not queued twice', async () => {
    const { iterator, push } = createFollower(10, () => undefined);
    push({ sku: 'A' });
    push({ sku: 'B' });
    push({ sku: 'A' });

    expect(await iterator.next()).toEqual({ done: false, value: { sku: 'A' } });
    push({ sku: 'A' });
    expect(await iterator.next()).toEqual({ done: false, value: { sku: 'B' } });
    expect(await iterator.next()).toEqual({ done: false, value: { sku: 'A' } });
  });

  test('waits for the next change, and hands over the very object pushed (shared by every subscriber of it)', async () => {
    const { iterator, push } = createFollower(10, () => undefined);
    const next = iterator.next();
    await tick();
    const change = { sku: 'A' };
    push(change);

    expect((await next).value).toBe(change);
  });

  test('return() ends it at once, even while it waits for a change, and says so once', async () => {
    const ended: string[] = [];
    const { iterator, push } = createFollower(10, () => ended.push('ended'));
    const waiting = iterator.next();
    await tick();

    await iterator.return?.();

    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(push({ sku: 'A' })).toBe(true);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    await iterator.return?.();
    expect(ended).toEqual(['ended']);
  });

  test('refuses a change beyond maxPending waiting ones (the hub then ends it as interrupted)', () => {
    const { push } = createFollower(2, () => undefined);
    expect([push({ n: '1' }), push({ n: '2' }), push({ n: '3' })]).toEqual([true, true, false]);
  });

  test('fail() drops what waits, ends it, and throws the error to the reader once', async () => {
    const ended: string[] = [];
    const { iterator, push, fail } = createFollower(10, () => ended.push('ended'));
    push({ sku: 'A' });
    const error = new Error('interrupted');

    fail(error);

    await expect(iterator.next()).rejects.toBe(error);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(ended).toEqual(['ended']);
  });

  test('fail() wakes a reader waiting for a change', async () => {
    const { iterator, fail } = createFollower(10, () => undefined);
    const waiting = iterator.next();
    await tick();
    fail(new Error('interrupted'));
    await expect(waiting).rejects.toThrow('interrupted');
  });
});

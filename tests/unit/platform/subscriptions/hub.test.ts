import { createChangeHub, SUBSCRIPTION_INTERRUPTED } from '../../../../src/platform/subscriptions/hub.ts';
import { encodeNotices, EVENTS_CHANNEL } from '../../../../src/platform/subscriptions/notices.ts';
import { fakeChannels } from '../../../fakes/fake-channels.ts';
import { createRecordingLogger } from '../../../support/graphql.ts';

const setUp = (maxPending?: number) => {
  const fake = fakeChannels();
  const logger = createRecordingLogger();
  const hub = createChangeHub({
    channels: fake.listener,
    arguments: new Map([
      ['productChanged', 'sku'],
      ['orderAllocations', 'orderId'],
      ['anyChange', null],
    ]),
    logger,
    ...(maxPending ? { maxPending } : {}),
  });
  /** What the committing transaction of a change to `field` announces. */
  const announce = (field: string, change: Record<string, string>) =>
    encodeNotices([{ field, change }]).payloads.forEach((payload) => fake.announce(EVENTS_CHANNEL, payload));
  return {
    hub,
    logger,
    announce,
    hear: fake.announce,
    lose: fake.drop,
    restore: fake.restore,
    listeners: fake.listeners,
  };
};
const settled = async <T>(promise: Promise<T>) =>
  Promise.race([
    promise.then((value) => ({ value })),
    new Promise((resolve) => setTimeout(() => resolve('pending'), 20)),
  ]);

describe('the fan-out of one instance', () => {
  test('hands a change to the subscribers of its field and key, and to no other', async () => {
    const { hub, announce } = setUp();
    const oak = hub.follow('productChanged', 'OAK');
    const oakToo = hub.follow('productChanged', 'OAK');
    const elm = hub.follow('productChanged', 'ELM');
    const order = hub.follow('orderAllocations', 'OAK');

    announce('productChanged', { sku: 'OAK' });

    expect(await oak.next()).toEqual({ done: false, value: { sku: 'OAK' } });
    expect(await oakToo.next()).toEqual({ done: false, value: { sku: 'OAK' } });
    expect(await settled(elm.next())).toBe('pending');
    expect(await settled(order.next())).toBe('pending');
    expect(hub.followers()).toBe(4);
  });

  test('a field followed by no argument: every subscriber hears every change', async () => {
    const { hub, announce } = setUp();
    const any = hub.follow('anyChange', '');
    announce('anyChange', { sku: 'OAK' });
    expect(await any.next()).toEqual({ done: false, value: { sku: 'OAK' } });
  });

  test('lets a subscription go when it returns', async () => {
    const { hub, announce } = setUp();
    const oak = hub.follow('productChanged', 'OAK');
    await oak.return?.();
    announce('productChanged', { sku: 'OAK' });
    expect(hub.followers()).toBe(0);
  });

  test('ignores a payload in an unknown format, a field it does not feed and a change without its key, logging the first', async () => {
    const { hub, hear, announce, logger } = setUp();
    const oak = hub.follow('productChanged', 'OAK');
    hear(EVENTS_CHANNEL, '{"v":9}');
    announce('somethingElse', { sku: 'OAK' });
    announce('productChanged', { orderId: 'OAK' });

    expect(await settled(oak.next())).toBe('pending');
    expect(logger.entries.map((entry) => entry.message)).toEqual(['ignored a notification in an unknown format']);
  });

  test('a dropped LISTEN connection ends every subscription with SUBSCRIPTION_INTERRUPTED, and refuses new ones until it is back', async () => {
    const { hub, lose, restore, announce } = setUp();
    const oak = hub.follow('productChanged', 'OAK');
    const waiting = oak.next();
    const order = hub.follow('orderAllocations', 'o-1');

    lose();

    await expect(waiting).rejects.toMatchObject({ extensions: { code: SUBSCRIPTION_INTERRUPTED } });
    await expect(order.next()).rejects.toMatchObject({ extensions: { code: SUBSCRIPTION_INTERRUPTED } });
    expect(hub.followers()).toBe(0);
    expect(() => hub.follow('productChanged', 'OAK')).toThrow(
      expect.objectContaining({ extensions: { code: SUBSCRIPTION_INTERRUPTED } }),
    );

    restore();
    const again = hub.follow('productChanged', 'OAK');
    announce('productChanged', { sku: 'OAK' });
    expect(await again.next()).toEqual({ done: false, value: { sku: 'OAK' } });
  });

  test('a subscriber that falls maxPending changes behind is ended as interrupted; the others are not', async () => {
    const { hub, announce, logger } = setUp(2);
    const slow = hub.follow('orderAllocations', 'o-1');
    const keeping = hub.follow('orderAllocations', 'o-1');
    for (const sku of ['A', 'B', 'C']) {
      announce('orderAllocations', { orderId: 'o-1', sku });
      if (sku !== 'C') await keeping.next();
    }

    await expect(slow.next()).rejects.toMatchObject({ extensions: { code: SUBSCRIPTION_INTERRUPTED } });
    expect(await keeping.next()).toEqual({ done: false, value: { orderId: 'o-1', sku: 'C' } });
    expect(logger.entries.map((entry) => entry.level)).toEqual(['warn']);
  });

  test('close() stops listening and completes every subscription', async () => {
    const { hub, listeners } = setUp();
    const oak = hub.follow('productChanged', 'OAK');
    expect(listeners()).toBe(2);

    hub.close();

    expect(await oak.next()).toEqual({ done: true, value: undefined });
    expect(listeners()).toBe(0);
  });
});

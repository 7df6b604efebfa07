import type { DomainEvent } from '../../../../src/core/messages.ts';
import type { SubscriptionFeeds } from '../../../../src/platform/graphql/context.ts';
import {
  collectFeeds,
  createAnnouncer,
  decodeNotices,
  encodeNotices,
  EVENTS_CHANNEL,
  MAX_NOTICE_BYTES,
  noticesOf,
} from '../../../../src/platform/subscriptions/notices.ts';
import { createRecordingLogger } from '../../../support/graphql.ts';

type Moved = { type: 'Moved'; box: string; shelf: string };
const feeds: SubscriptionFeeds = {
  boxMoved: { argument: 'box', events: { Moved: ({ box }: Moved) => ({ box }) }, read: async () => null },
  shelfFilled: {
    argument: 'shelf',
    events: { Moved: ({ shelf, box }: Moved) => (shelf === 'floor' ? null : { shelf, box }) },
    read: async () => null,
  },
};
const moved = (box: string, shelf: string): Moved => ({ type: 'Moved', box, shelf });

describe('what committed events announce', () => {
  test('each event, per field that follows it, as what it changed; an event no feed names announces nothing', () => {
    const events: DomainEvent[] = [moved('b-1', 'top'), { type: 'Dusted' }, moved('b-2', 'floor')];

    expect(noticesOf(feeds, events)).toEqual([
      { field: 'boxMoved', change: { box: 'b-1' } },
      { field: 'shelfFilled', change: { shelf: 'top', box: 'b-1' } },
      { field: 'boxMoved', change: { box: 'b-2' } },
    ]);
  });

  test('a change announced twice by one transaction is announced once', () => {
    expect(noticesOf(feeds, [moved('b-1', 'floor'), moved('b-1', 'floor')])).toEqual([
      { field: 'boxMoved', change: { box: 'b-1' } },
    ]);
  });

  test('an event type named like an Object method feeds nothing it does not declare', () => {
    expect(noticesOf(feeds, [{ type: 'toString' }, { type: 'constructor' }])).toEqual([]);
  });

  test('two contexts feeding one field is refused', () => {
    expect(() => collectFeeds([{ subscriptions: feeds }, { subscriptions: { boxMoved: feeds.boxMoved! } }])).toThrow(
      'two contexts feed Subscription.boxMoved',
    );
    expect(Object.keys(collectFeeds([{ subscriptions: feeds }, {}]))).toEqual(['boxMoved', 'shelfFilled']);
  });
});

describe('the payloads of kingdom_events', () => {
  test('round-trip, versioned, in the documented format', () => {
    const notices = [{ field: 'productChanged', change: { sku: 'OAK-TABLE' } }];
    const { payloads } = encodeNotices(notices);

    expect(payloads).toEqual(['{"v":1,"changes":[["productChanged",{"sku":"OAK-TABLE"}]]}']);
    expect(decodeNotices(payloads[0]!)).toEqual(notices);
  });

  test('are split to stay under the 8000 bytes Postgres allows, keeping every change in order', () => {
    const notices = Array.from({ length: 300 }, (_, index) => ({
      field: 'boxMoved',
      change: { box: `box-${String(index).padStart(40, '0')}` },
    }));
    const { payloads, tooLarge } = encodeNotices(notices);

    expect(payloads.length).toBeGreaterThan(1);
    expect(Math.max(...payloads.map((payload) => Buffer.byteLength(payload)))).toBeLessThanOrEqual(MAX_NOTICE_BYTES);
    expect(payloads.flatMap((payload) => decodeNotices(payload) ?? [])).toEqual(notices);
    expect(tooLarge).toEqual([]);
  });

  test('leave out a change too large for any payload (counted in bytes, not characters)', () => {
    const huge = { field: 'boxMoved', change: { box: 'é'.repeat(4000) } };
    const small = { field: 'boxMoved', change: { box: 'b-1' } };

    expect(encodeNotices([small, huge])).toEqual({ payloads: [encodeNotices([small]).payloads[0]], tooLarge: [huge] });
  });

  test.each([
    ['not JSON', 'nope'],
    ['another version', '{"v":2,"changes":[]}'],
    ['no changes', '{"v":1}'],
    ['a change that is not a pair', '{"v":1,"changes":[["productChanged"]]}'],
    ['a field that is not a string', '{"v":1,"changes":[[1,{"sku":"x"}]]}'],
    ['a change with a value that is not a string', '{"v":1,"changes":[["productChanged",{"sku":1}]]}'],
    ['a change that is a list', '{"v":1,"changes":[["productChanged",["x"]]]}'],
    ['null', 'null'],
  ])('refuse %s (null: the listener ignores it)', (_case, payload) => {
    expect(decodeNotices(payload)).toBeNull();
  });
});

describe('the announcer', () => {
  test('sends each payload with pg_notify on kingdom_events, and logs (without it) a change it cannot send', async () => {
    const sent: unknown[] = [];
    const connection = { query: async (statement: { values: unknown[] }) => sent.push(statement.values) };
    const logger = createRecordingLogger();
    const announce = createAnnouncer(feeds, logger);

    await announce(connection as never, [moved('b-1', 'floor'), moved('x'.repeat(9000), 'floor')]);
    await announce(connection as never, []);

    expect(sent).toEqual([[EVENTS_CHANNEL, '{"v":1,"changes":[["boxMoved",{"box":"b-1"}]]}']]);
    expect(logger.entries).toEqual([
      {
        level: 'warn',
        object: { field: 'boxMoved' },
        message: 'a change is too large to announce: its subscribers will not hear of it',
      },
    ]);
  });
});

/**
 * Committed changes between instances: a transaction announces what its events changed on the channel
 * `kingdom_events` (delivered to every instance's listener when, and only if, it commits), and each instance hands
 * the changes to its own subscribers (hub.ts).
 *
 * Payload format of `kingdom_events` (JSON, one or more notifications per transaction):
 *
 *   {"v":1,"changes":[["productChanged",{"sku":"OAK-TABLE"}],["orderAllocations",{"orderId":"o-1","sku":"OAK-TABLE"}]]}
 *
 * `v` is the format's version (a listener ignores others); each change is [Subscription field, what changed]: a
 * few short strings naming it, never the data itself, which subscribers read again through their own scoped views.
 * A change announced twice by one transaction is sent once. Postgres refuses a payload of 8000 bytes or more (and
 * would fail the transaction with it), so changes are split over several notifications, and a single change too
 * large for one is left out and logged, never allowed to fail the write.
 */
import type { CommonQueryMethods } from 'slonik';
import type { DomainEvent } from '../../core/messages.ts';
import type { Logger } from '../../core/ports.ts';
import { notify } from '../database/channels.ts';
import type { Change, SubscriptionFeeds } from '../graphql/context.ts';

export const EVENTS_CHANNEL = 'kingdom_events';
const VERSION = 1;
/** Under Postgres' 8000-byte limit, with room for the envelope. */
export const MAX_NOTICE_BYTES = 7900;

export type Notice = { readonly field: string; readonly change: Change };

/** The feeds of every listed context, by field; two contexts feeding one field is a mistake, refused at start-up. */
export const collectFeeds = (
  contexts: ReadonlyArray<{ readonly subscriptions?: SubscriptionFeeds }>,
): SubscriptionFeeds => {
  const feeds: Record<string, SubscriptionFeeds[string]> = {};
  for (const context of contexts) {
    for (const [field, feed] of Object.entries(context.subscriptions ?? {})) {
      if (Object.hasOwn(feeds, field)) throw new Error(`two contexts feed Subscription.${field}`);
      feeds[field] = feed;
    }
  }
  return feeds;
};

/** What the events changed, per Subscription field that follows them; each distinct change once. */
export const noticesOf = (feeds: SubscriptionFeeds, events: readonly DomainEvent[]): Notice[] => {
  const notices = new Map<string, Notice>();
  for (const event of events) {
    for (const [field, feed] of Object.entries(feeds)) {
      const changeOf = Object.hasOwn(feed.events, event.type) ? feed.events[event.type] : undefined;
      const change = changeOf ? (changeOf as (event: DomainEvent) => Change | null)(event) : null;
      if (change) notices.set(JSON.stringify([field, change]), { field, change });
    }
  }
  return [...notices.values()];
};

const envelope = (entries: readonly string[]): string => `{"v":${VERSION},"changes":[${entries.join(',')}]}`;

/** The payloads announcing these notices, each under MAX_NOTICE_BYTES; `tooLarge` those that fit none. */
export const encodeNotices = (notices: readonly Notice[]): { payloads: string[]; tooLarge: Notice[] } => {
  const payloads: string[] = [];
  const tooLarge: Notice[] = [];
  let entries: string[] = [];
  for (const notice of notices) {
    const entry = JSON.stringify([notice.field, notice.change]);
    if (Buffer.byteLength(envelope([entry])) > MAX_NOTICE_BYTES) {
      tooLarge.push(notice);
      continue;
    }
    if (entries.length > 0 && Buffer.byteLength(envelope([...entries, entry])) > MAX_NOTICE_BYTES) {
      payloads.push(envelope(entries));
      entries = [];
    }
    entries.push(entry);
  }
  if (entries.length > 0) payloads.push(envelope(entries));
  return { payloads, tooLarge };
};

const isChange = (value: unknown): value is Change =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every((part) => typeof part === 'string');

/** The notices of one payload; null when it is not one this version of the format can read. */
export const decodeNotices = (payload: string): Notice[] | null => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return null;
  }
  const { v, changes } = (parsed ?? {}) as { v?: unknown; changes?: unknown };
  if (v !== VERSION || !Array.isArray(changes)) return null;
  const notices: Notice[] = [];
  for (const item of changes as unknown[]) {
    if (!Array.isArray(item) || item.length !== 2) return null;
    const [field, change] = item as [unknown, unknown];
    if (typeof field !== 'string' || !isChange(change)) return null;
    notices.push({ field, change });
  }
  return notices;
};

/**
 * Announces, inside the transaction of `connection`, what `events` changed for the subscriptions that follow them:
 * heard by every instance when the transaction commits, never when it rolls back.
 */
export const createAnnouncer =
  (feeds: SubscriptionFeeds, logger: Logger) =>
  async (connection: CommonQueryMethods, events: readonly DomainEvent[]): Promise<void> => {
    if (events.length === 0) return;
    const { payloads, tooLarge } = encodeNotices(noticesOf(feeds, events));
    for (const notice of tooLarge) {
      logger.warn({ field: notice.field }, 'a change is too large to announce: its subscribers will not hear of it');
    }
    for (const payload of payloads) await notify(connection, EVENTS_CHANNEL, payload);
  };

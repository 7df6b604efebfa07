/**
 * The fan-out of one instance: it hears `kingdom_events` once, on the process's LISTEN connection, and hands each
 * change to the subscribers of this instance that follow it (by field, and by the value of the field's argument).
 *
 * While that connection is down, changes committed meanwhile are never heard (NOTIFY is not replayed): every
 * subscription is then ended with SUBSCRIPTION_INTERRUPTED, and new ones are refused with it until the connection
 * is back, so no client believes it is up to date when it may not be. The client subscribes again (and reads the
 * current state): the same thing it does after any lost WebSocket. Why not replay or resync: see
 * docs/decisions/0015-subscriptions-from-committed-events.md.
 */
import { GraphQLError } from 'graphql';
import type { Logger } from '../../core/ports.ts';
import type { ChannelListener } from '../database/channels.ts';
import type { Change, ChangeSource } from '../graphql/context.ts';
import { createFollower, type Follower } from './follower.ts';
import { decodeNotices, EVENTS_CHANNEL } from './notices.ts';

export const SUBSCRIPTION_INTERRUPTED = 'SUBSCRIPTION_INTERRUPTED';

export const interrupted = (): GraphQLError =>
  new GraphQLError(
    'The server may have missed changes (its connection to the database was interrupted): subscribe again, and ' +
      'read the current state',
    { extensions: { code: SUBSCRIPTION_INTERRUPTED } },
  );

export type ChangeHub = ChangeSource & {
  /** How many subscriptions this instance feeds now. */
  followers(): number;
  /** Stops hearing the channel and ends every subscription (it completes). */
  close(): void;
};

export type ChangeHubOptions = {
  readonly channels: ChannelListener;
  /**
   * The argument each fed field is followed by (`productChanged` -> `sku`): the change's value of it is the key.
   * Null: the field has none, and every subscriber hears every change (its key is '').
   */
  readonly arguments: ReadonlyMap<string, string | null>;
  readonly logger: Logger;
  /** Changes one subscriber may have waiting before it is ended as interrupted (it cannot keep up). */
  readonly maxPending?: number;
};

export const createChangeHub = (options: ChangeHubOptions): ChangeHub => {
  const { channels, logger } = options;
  const maxPending = options.maxPending ?? 100;
  /** field -> key -> followers */
  const following = new Map<string, Map<string, Set<Follower>>>();
  let count = 0;

  const forEachFollower = (visit: (follower: Follower) => void): void => {
    for (const byKey of following.values()) for (const set of byKey.values()) for (const each of set) visit(each);
  };

  const deliver = (field: string, change: Change): void => {
    const argument = options.arguments.get(field);
    const key = argument === null ? '' : argument === undefined ? undefined : change[argument];
    if (key === undefined) return;
    for (const follower of following.get(field)?.get(key) ?? []) {
      if (!follower.push(change)) {
        logger.warn({ field }, 'a subscriber fell too far behind: ending its subscription as interrupted');
        follower.fail(interrupted());
      }
    }
  };

  const stopHearing = channels.on(EVENTS_CHANNEL, (payload) => {
    const notices = decodeNotices(payload);
    if (!notices) return logger.warn({ channel: EVENTS_CHANNEL }, 'ignored a notification in an unknown format');
    for (const { field, change } of notices) deliver(field, change);
  });
  const stopWatching = channels.onInterruption({
    lost: () => forEachFollower((follower) => follower.fail(interrupted())),
    restored: () => logger.info({ followers: count }, 'subscriptions hear committed changes again'),
  });

  return {
    follow(field, key) {
      if (!channels.isListening()) throw interrupted();
      const byKey = following.get(field) ?? new Map<string, Set<Follower>>();
      following.set(field, byKey);
      const set = byKey.get(key) ?? new Set<Follower>();
      byKey.set(key, set);
      const follower = createFollower(maxPending, () => {
        count -= 1;
        set.delete(follower);
        if (set.size === 0 && byKey.get(key) === set) byKey.delete(key);
      });
      set.add(follower);
      count += 1;
      return follower.iterator;
    },
    followers: () => count,
    close() {
      stopHearing();
      stopWatching();
      forEachFollower((follower) => void follower.iterator.return?.());
    },
  };
};

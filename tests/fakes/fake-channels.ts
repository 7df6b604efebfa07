import type { ChannelListener, Interruption } from '../../src/platform/database/channels.ts';

/**
 * The API process's LISTEN connection in memory, under the test's control: `announce` delivers a payload on a
 * channel as a NOTIFY would, `drop` and `restore` play an interruption of the connection, `listeners` counts the
 * handlers still registered (what an unsubscribe must give back).
 */
export const fakeChannels = () => {
  const handlers = new Map<string, Set<(payload: string) => void>>();
  const interruptions = new Set<Interruption>();
  let listening = true;
  const listener: ChannelListener = {
    on(channel, handle) {
      const set = handlers.get(channel) ?? new Set();
      handlers.set(channel, set.add(handle));
      return () => void set.delete(handle);
    },
    onInterruption(handler) {
      interruptions.add(handler);
      return () => void interruptions.delete(handler);
    },
    isListening: () => listening,
    waitUntilHeard: async () => listening,
    close: async () => undefined,
  };
  return {
    listener,
    announce: (channel: string, payload: string) => handlers.get(channel)?.forEach((handle) => handle(payload)),
    drop: () => {
      listening = false;
      interruptions.forEach((handler) => handler.lost());
    },
    restore: () => {
      listening = true;
      interruptions.forEach((handler) => handler.restored());
    },
    listeners: () => [...handlers.values()].reduce((sum, set) => sum + set.size, 0) + interruptions.size,
  };
};

import type { ChannelListener, Interruption } from '../../src/platform/database/channels.ts';

/**
 * The API process's LISTEN connection in memory, under the test's control: `announce` delivers a payload on a
 * channel as a NOTIFY would, `drop` and `restore` play an interruption of the connection.
 */
export const fakeChannels = () => {
  const handlers = new Map<string, Array<(payload: string) => void>>();
  const interruptions: Interruption[] = [];
  let listening = true;
  const listener: ChannelListener = {
    on: (channel, handle) => {
      handlers.set(channel, [...(handlers.get(channel) ?? []), handle]);
      return () => undefined;
    },
    onInterruption: (handler) => {
      interruptions.push(handler);
      return () => undefined;
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
  };
};

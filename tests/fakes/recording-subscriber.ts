import type { BoundHandler } from '../../src/core/bus.ts';

/**
 * An event subscriber that keeps every event the bus delivers to it, in order: subscribe `record` to the event
 * types of interest and read `published` (only events of committed work reach subscribers).
 */
export const recordingSubscriber = <E>(): { readonly published: E[]; readonly record: BoundHandler<E, void> } => {
  const published: E[] = [];
  const record: BoundHandler<E, void> = async (event) => {
    published.push(event);
    return { ok: true, result: undefined, events: [] };
  };
  return { published, record };
};

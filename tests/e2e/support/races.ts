import type { DatabaseTransactionConnection } from 'slonik';

/** Resolves every caller once `parties` of them have arrived; later callers pass straight through. */
export const barrier = (parties: number) => {
  let arrived = 0;
  let release = (): void => undefined;
  const open = new Promise<void>((resolve) => (release = resolve));
  return async (): Promise<void> => {
    arrived += 1;
    if (arrived === parties) release();
    await open;
  };
};

/**
 * The transaction's connection, except that its `exists` (the inbox's check) waits at `checked` after answering:
 * two deliveries of one message both find nothing before either records it.
 */
export const pausingAfterExists =
  (checked: () => Promise<void>) =>
  (connection: DatabaseTransactionConnection): DatabaseTransactionConnection =>
    new Proxy(connection, {
      get: (target, property) =>
        property === 'exists'
          ? async (...args: Parameters<DatabaseTransactionConnection['exists']>) => {
              const found = await target.exists(...args);
              await checked();
              return found;
            }
          : Reflect.get(target, property, target),
    });

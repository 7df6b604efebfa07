/**
 * How a committed change to who may do what is announced to every instance of the application, so the caches of
 * permissions they keep (src/access/adapters/permissions-cache.ts) drop what it made stale. Sent with Postgres
 * NOTIFY inside the transaction that makes the change (delivered only if it commits) on the channel
 * `kingdom_access`. The payload is one of:
 *
 * - `user:<user id>`: the roles this user holds changed (a grant or a revocation);
 * - `role:<role name>`: the policies of this role changed, or the role was deleted (with every grant of it);
 * - `*`: anything else (a migration or a hand-made change to roles or user_roles): drop everything.
 */
export const ACCESS_CHANNEL = 'kingdom_access';

export type AccessChange =
  | { readonly kind: 'user'; readonly userId: string }
  | { readonly kind: 'role'; readonly role: string }
  | { readonly kind: 'everything' };

export const encodeAccessChange = (change: AccessChange): string =>
  change.kind === 'user' ? `user:${change.userId}` : change.kind === 'role' ? `role:${change.role}` : '*';

/** Anything this version does not understand reads as `*`: dropping too much is safe, too little is not. */
export const decodeAccessChange = (payload: string): AccessChange => {
  if (payload.startsWith('user:') && payload.length > 5) return { kind: 'user', userId: payload.slice(5) };
  if (payload.startsWith('role:') && payload.length > 5) return { kind: 'role', role: payload.slice(5) };
  return { kind: 'everything' };
};

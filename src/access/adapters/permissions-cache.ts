import type { AccessChange } from '../../core/access-changes.ts';
import { ACCESS_CHANNEL, decodeAccessChange } from '../../core/access-changes.ts';
import type { Permissions } from '../../core/access.ts';
import type { EventRoutes, Outcome } from '../../core/bus.ts';
import type { ChannelListener } from '../../platform/database/channels.ts';
import type { AccessEvent } from '../domain/events.ts';

export type PermissionsCache = {
  /** The user's permissions: from memory when this process holds them and can trust them, else loaded. */
  permissionsOf(userId: string): Promise<Permissions>;
  /** Drops what `change` may have made stale. */
  forget(change: AccessChange): void;
  /** Users whose permissions are held (for tests and metrics). */
  size(): number;
};

type Entry = {
  readonly permissions: Promise<Permissions>;
  /** The roles the user holds, once loaded (a role's change drops its holders; a load in flight is dropped too). */
  roles: ReadonlySet<string> | null;
};

/** Users kept at most; the oldest entry goes first beyond it (a flood of distinct callers cannot grow memory). */
const MAX_ENTRIES = 10_000;

/**
 * Every user's permissions, kept per process so a request costs no query for them (docs/decisions/0010-permissions-cached-per-process.md). What
 * another instance changes arrives through Postgres NOTIFY (`kingdom_access`, src/core/access-changes.ts), sent by
 * the transaction that made the change, so a revocation applies on every instance as soon as Postgres delivers it.
 * Nothing here is trusted while the listening connection is down: it is emptied on `lost` and bypassed (every call
 * loads) until `restored`.
 *
 * An entry is stored before its query is sent, so a change committed after the query's snapshot is always
 * announced after the entry exists, and drops it; a request already waiting on that load gets what it read.
 */
export const createPermissionsCache = (
  load: (userId: string) => Promise<Permissions>,
  channels: ChannelListener,
  maxEntries = MAX_ENTRIES,
): PermissionsCache => {
  const entries = new Map<string, Entry>();

  const forget = (change: AccessChange): void => {
    if (change.kind === 'everything') return entries.clear();
    if (change.kind === 'user') return void entries.delete(change.userId);
    for (const [userId, entry] of entries) {
      if (entry.roles === null || entry.roles.has(change.role)) entries.delete(userId);
    }
  };
  channels.on(ACCESS_CHANNEL, (payload) => forget(decodeAccessChange(payload)));
  channels.onInterruption({ lost: () => entries.clear(), restored: () => entries.clear() });

  const permissionsOf = (userId: string): Promise<Permissions> => {
    if (!channels.isListening()) return load(userId);
    const cached = entries.get(userId);
    if (cached) return cached.permissions;
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
    const permissions = load(userId);
    const entry: Entry = { permissions, roles: null };
    entries.set(userId, entry);
    permissions.then(
      (loaded) => (entry.roles = loaded.roles),
      // A failed load is not remembered: the next request tries again.
      () => entries.get(userId) === entry && entries.delete(userId),
    );
    return permissions;
  };

  return { permissionsOf, forget, size: () => entries.size };
};

const done: Outcome<void> = { ok: true, result: undefined, events: [] };

/**
 * Once a change of roles commits, before the command answers: this process drops what the change made stale, then
 * waits until every other instance has heard the change's notification (`everyInstanceHeard`, a barrier over
 * LISTEN/NOTIFY), so the caller's next request is decided on the change whichever instance it reaches.
 */
export const forgetOnCommit = (cache: PermissionsCache, everyInstanceHeard: () => Promise<void>): EventRoutes => {
  const on =
    <Event extends AccessEvent>(change: (event: Event) => AccessChange) =>
    async (event: Event): Promise<Outcome<void>> => {
      cache.forget(change(event));
      await everyInstanceHeard();
      return done;
    };
  const ofUser = on<Extract<AccessEvent, { userId: string }>>(({ userId }) => ({ kind: 'user', userId }));
  const ofRole = on<Extract<AccessEvent, { type: 'RolePoliciesUpdated' | 'RoleDeleted' }>>(({ name }) => ({
    kind: 'role',
    role: name,
  }));
  return { RoleGranted: [ofUser], RoleRevoked: [ofUser], RolePoliciesUpdated: [ofRole], RoleDeleted: [ofRole] };
};

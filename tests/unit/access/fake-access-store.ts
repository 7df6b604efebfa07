import type { RoleHolder } from '../../../src/access/domain/holder.ts';
import type { Role } from '../../../src/access/domain/role.ts';
import type { AccessRepositories } from '../../../src/access/services/ports.ts';
import type { Policy } from '../../../src/core/access.ts';
import { ConcurrentUpdateError } from '../../../src/core/errors.ts';
import type { DomainEvent } from '../../../src/core/messages.ts';
import type { UnitOfWork } from '../../../src/core/ports.ts';
import { withTransactionRetries } from '../../../src/platform/database/retry.ts';

/** A role as stored: what a repository loads (no pending events, never `deleted`). */
export type StoredRole = Pick<Role, 'name' | 'policies' | 'builtIn' | 'version'>;

type State = { roles: Map<string, StoredRole>; holders: Map<string, string[]> };

export type FakeAccessStore = UnitOfWork<AccessRepositories> & {
  /** The committed state: roles by name, and every user (by UUID) with the roles they hold. */
  readonly state: () => State;
  /** Transaction attempts started, retries included. */
  readonly attempts: () => number;
  addRole(role: Pick<StoredRole, 'name' | 'policies'> & Partial<StoredRole>): FakeAccessStore;
  addUser(userId: string, roles?: readonly string[]): FakeAccessStore;
  /** Runs `change` on the committed state at the start of the next save: another transaction winning a race. */
  beforeNextSave(change: (state: State) => void): FakeAccessStore;
};

const copy = (state: State): State => ({
  roles: new Map(state.roles),
  holders: new Map([...state.holders].map(([userId, roles]) => [userId, [...roles]])),
});

/**
 * The access unit of work in memory, keeping the promises of the slonik one: a transaction commits only when its
 * work resolves; a save over a stale version, a role name taken, or a grant that no longer changes what it was
 * meant to change throws ConcurrentUpdateError and the transaction is retried from the start; events become
 * visible to `collectNewEvents` only once their transaction commits; deleting a role drops every grant of it.
 * The built-in roles are seeded as the migration seeds them.
 */
export const createFakeAccessStore = (): FakeAccessStore => {
  let committed: State = { roles: new Map(), holders: new Map() };
  const events: DomainEvent[] = [];
  const hooks: Array<(state: State) => void> = [];
  let attempts = 0;

  const repositories = (draft: State, pending: DomainEvent[]): AccessRepositories => {
    // Another transaction's commit: in the committed state for later attempts, and seen by this one's checks.
    const beforeSave = () => {
      const change = hooks.shift();
      change?.(committed);
      change?.(draft);
    };
    return {
      roles: {
        get: async (name) => {
          const stored = draft.roles.get(name);
          return stored ? { ...stored, deleted: false, events: [] } : null;
        },
        save: async (role) => {
          beforeSave();
          const stored = draft.roles.get(role.name);
          if ((stored?.version ?? 0) !== role.version) throw new ConcurrentUpdateError(`Role ${role.name}`);
          if (role.deleted) {
            draft.roles.delete(role.name);
            for (const [userId, held] of draft.holders)
              draft.holders.set(
                userId,
                held.filter((name) => name !== role.name),
              );
          } else {
            draft.roles.set(role.name, {
              name: role.name,
              policies: role.policies,
              builtIn: role.builtIn,
              version: role.version + 1,
            });
          }
          pending.push(...role.events);
        },
      },
      grants: {
        // The fake runs one transaction at a time: there is nothing to lock against.
        lockHoldersOf: async (role) =>
          [...draft.holders].filter(([, held]) => held.includes(role)).map(([userId]) => userId),
        holderOf: async (userId): Promise<RoleHolder | null> => {
          const held = draft.holders.get(userId);
          return held ? { userId, roles: [...held].sort(), events: [] } : null;
        },
        save: async (holder) => {
          beforeSave();
          const held = draft.holders.get(holder.userId);
          if (!held) throw new ConcurrentUpdateError(`User ${holder.userId}`);
          for (const event of holder.events) {
            if (event.type === 'RoleGranted' && (held.includes(event.role) || !draft.roles.has(event.role))) {
              throw new ConcurrentUpdateError(`The grant of ${event.role}`);
            }
            if (event.type === 'RoleRevoked' && !held.includes(event.role))
              throw new ConcurrentUpdateError(`The grant of ${event.role}`);
          }
          draft.holders.set(holder.userId, [...holder.roles]);
          pending.push(...holder.events);
        },
      },
    };
  };

  const store: FakeAccessStore = {
    async transaction(_isolation, work) {
      return withTransactionRetries({ maxAttempts: 3, baseDelayMs: 0 }, async () => {
        attempts += 1;
        const draft = copy(committed);
        const pending: DomainEvent[] = [];
        const result = await work(repositories(draft, pending));
        committed = draft;
        events.push(...pending);
        return result;
      });
    },
    collectNewEvents: () => events.splice(0),
    state: () => committed,
    attempts: () => attempts,
    addRole(role) {
      committed.roles.set(role.name, { builtIn: false, version: 1, ...role });
      return store;
    },
    addUser(userId, roles = []) {
      committed.holders.set(userId, [...roles]);
      return store;
    },
    beforeNextSave(change) {
      hooks.push(change);
      return store;
    },
  };
  return store.addRole({ name: 'admin', policies: ADMIN_POLICIES, builtIn: true }).addRole({
    name: 'member',
    policies: [
      { resource: 'USER', actions: ['READ'], selectors: ['OWNER'] },
      { resource: 'ROLE', actions: ['READ'], selectors: ['OWNER'] },
    ],
    builtIn: true,
  });
};

const ADMIN_POLICIES: Policy[] = (['PRODUCT', 'BATCH', 'USER', 'ROLE'] as const).map((resource) => ({
  resource,
  actions: ['READ', 'CREATE', 'UPDATE', 'DELETE'],
  selectors: ['*'],
}));

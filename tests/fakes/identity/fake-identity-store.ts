import { ConcurrentUpdateError } from '../../../src/core/errors.ts';
import type { DomainEvent } from '../../../src/core/messages.ts';
import type { IsolationLevel, UnitOfWork } from '../../../src/core/ports.ts';
import { revoke, type Session } from '../../../src/identity/domain/session.ts';
import type { User } from '../../../src/identity/domain/user.ts';
import type { IdentityRepositories, SessionRepository, UserRepository } from '../../../src/identity/services/ports.ts';
import { withTransactionRetries, type RetryPolicy } from '../../../src/platform/database/retry.ts';
import { FAKE_RETRY_POLICY } from '../fake-unit-of-work.ts';
import { FakePasswordResetTable } from './fake-password-resets.ts';

type Row = { readonly id: string; readonly version: number; readonly events: readonly DomainEvent[] };

/**
 * One attempt's private writes to one table. Each write remembers the version it was based on, and the whole
 * draft is checked against the committed rows again at commit: a transaction that interleaved with another one
 * (two `bus.execute` in one `Promise.all`) fails and retries like the loser of a real row-level race.
 */
class Draft<T extends Row> {
  readonly #committed: Map<string, T>;
  readonly #label: string;
  readonly #writes = new Map<string, { readonly base: number; readonly row: T }>();

  constructor(committed: Map<string, T>, label: string) {
    this.#committed = committed;
    this.#label = label;
  }

  get(id: string): T | undefined {
    return this.#writes.get(id)?.row ?? this.#committed.get(id);
  }

  all(): T[] {
    const merged = new Map(this.#committed);
    for (const [id, { row }] of this.#writes) merged.set(id, row);
    return [...merged.values()];
  }

  /** Stores the row at its next version, without its events (the repository hands those to the unit of work). */
  put(row: T): void {
    if ((this.get(row.id)?.version ?? 0) !== row.version) throw new ConcurrentUpdateError(`${this.#label} ${row.id}`);
    const base = this.#writes.get(row.id)?.base ?? row.version;
    this.#writes.set(row.id, { base, row: { ...row, version: row.version + 1, events: [] } });
  }

  checkStillCurrent(): void {
    for (const [id, { base }] of this.#writes) {
      if ((this.#committed.get(id)?.version ?? 0) !== base) throw new ConcurrentUpdateError(`${this.#label} ${id}`);
    }
  }

  apply(): void {
    for (const [id, { row }] of this.#writes) this.#committed.set(id, row);
  }
}

/**
 * The identity database in memory. `unitOfWork()` gives each message its own unit of work over it (never share
 * one between concurrent messages: each collects only the events its own transactions committed), keeping the
 * promises the slonik one makes:
 * - a transaction commits only if `work` resolves; a throwing `work` leaves the store as it was;
 * - a save over a stale version throws ConcurrentUpdateError and the transaction is retried from the start
 *   (through the production withTransactionRetries); so does an insert whose email another account holds
 *   (the unique index, which the slonik user repository also reports as a concurrent update, so the retry re-reads);
 * - a rotated session's old token hash is remembered as retired for that session;
 * - events of saved aggregates reach `collectNewEvents` only once their transaction commits.
 */
export class FakeIdentityStore {
  /** Committed rows as a repository would load them (stored version, no pending events, no retiredTokenHash). */
  readonly users = new Map<string, User>();
  readonly sessions = new Map<string, Session>();
  /** Retired refresh-token hash -> id of its session. */
  readonly retiredTokenHashes = new Map<string, string>();
  /** password_resets: `passwordResets.rows` are the committed resets by id. */
  readonly passwordResets = new FakePasswordResetTable();
  /**
   * Every event any transaction committed, oldest first, never drained: what reached the database whether or not
   * the bus later delivered it (a unit of work's own list is drained by the bus, one message at a time).
   */
  readonly committedEvents: DomainEvent[] = [];
  /** The isolation level of every transaction asked for (not counting retries). */
  readonly isolationLevels: IsolationLevel[] = [];
  /** Transactions whose work resolved. */
  committedCount = 0;
  /** Every attempt started, retries included. */
  attemptCount = 0;
  #openTransactions = 0;

  readonly #retryPolicy: RetryPolicy;
  readonly #beforeNextSave: Array<() => void> = [];

  constructor(retryPolicy: RetryPolicy = FAKE_RETRY_POLICY) {
    this.#retryPolicy = retryPolicy;
  }

  /** True while some transaction's work runs, so tests can prove slow work (hashing) happens outside. */
  get inTransaction(): boolean {
    return this.#openTransactions > 0;
  }

  seedUser(user: User): this {
    this.users.set(user.id, { ...user, events: [] });
    return this;
  }

  /** Runs `action` just before the next save (of a user or a session) checks its version, e.g. to throw. */
  beforeNextSave(action: () => void): this {
    this.#beforeNextSave.push(action);
    return this;
  }

  failNextSave(error: Error = new ConcurrentUpdateError('injected')): this {
    return this.beforeNextSave(() => {
      throw error;
    });
  }

  unitOfWork(): UnitOfWork<IdentityRepositories> {
    const committed: DomainEvent[] = [];
    return {
      transaction: (isolation, work) => this.#transaction(isolation, work, committed),
      collectNewEvents: () => committed.splice(0),
    };
  }

  async #transaction<T>(
    isolation: IsolationLevel,
    work: (repositories: IdentityRepositories) => Promise<T>,
    committedEvents: DomainEvent[],
  ): Promise<T> {
    this.isolationLevels.push(isolation);
    return withTransactionRetries(this.#retryPolicy, async () => {
      this.attemptCount += 1;
      const users = new Draft(this.users, 'User');
      const sessions = new Draft(this.sessions, 'Session');
      const retired = new Map<string, string>();
      const pending: DomainEvent[] = [];
      const resets = this.passwordResets.draft(pending);
      this.#openTransactions += 1;
      let result: T;
      try {
        result = await work({
          users: this.#userRepository(users, pending),
          sessions: this.#sessionRepository(sessions, retired, pending),
          passwordResets: resets.repository,
        });
      } finally {
        this.#openTransactions -= 1;
      }
      users.checkStillCurrent();
      sessions.checkStillCurrent();
      resets.checkStillCurrent();
      this.#refuseTakenEmails(users.all());
      users.apply();
      sessions.apply();
      resets.apply();
      for (const [hash, sessionId] of retired) this.retiredTokenHashes.set(hash, sessionId);
      committedEvents.push(...pending);
      this.committedEvents.push(...pending);
      this.committedCount += 1;
      return result;
    });
  }

  #userRepository(draft: Draft<User>, pending: DomainEvent[]): UserRepository {
    const loaded = (user: User | undefined): User | null => (user ? { ...user, roles: [...user.roles].sort() } : null);
    return {
      // As the slonik repository loads them: the id is a uuid (any letter case names the same row), roles sorted.
      get: async (id) => loaded(draft.get(id.toLowerCase())),
      findByEmail: async (email) => loaded(draft.all().find((user) => user.email === email)),
      save: async (user) => {
        this.#beforeNextSave.shift()?.();
        this.#refuseTakenEmails([...draft.all().filter((other) => other.id !== user.id), user]);
        draft.put(user);
        pending.push(...user.events);
      },
    };
  }

  #sessionRepository(draft: Draft<Session>, retired: Map<string, string>, pending: DomainEvent[]): SessionRepository {
    const retiredSessionOf = (hash: string): string | undefined =>
      retired.get(hash) ?? this.retiredTokenHashes.get(hash);
    return {
      findByTokenHash: async (tokenHash) => {
        const current = draft.all().find((session) => session.tokenHash === tokenHash);
        if (current) return { status: 'current', session: current };
        const retiredId = retiredSessionOf(tokenHash);
        const owner = retiredId === undefined ? undefined : draft.get(retiredId);
        return owner ? { status: 'retired', session: owner } : null;
      },
      save: async (session) => {
        this.#beforeNextSave.shift()?.();
        draft.put({ ...session, retiredTokenHash: null });
        if (session.retiredTokenHash !== null) retired.set(session.retiredTokenHash, session.id);
        pending.push(...session.events);
      },
      revokeAllOf: async (userId, now) => {
        for (const session of draft.all()) {
          if (session.userId === userId && session.revokedAt === null) draft.put(revoke(session, now));
        }
      },
    };
  }

  /** The unique index on users.email, across this attempt's writes and everything committed meanwhile. */
  #refuseTakenEmails(candidates: readonly User[]): void {
    const owners = new Map([...this.users.values()].map((user) => [user.email, user.id]));
    const seen = new Map<string, string>();
    for (const user of candidates) {
      const owner = seen.get(user.email) ?? owners.get(user.email);
      if (owner !== undefined && owner !== user.id) throw new ConcurrentUpdateError(`User email ${user.email}`);
      seen.set(user.email, user.id);
    }
  }
}

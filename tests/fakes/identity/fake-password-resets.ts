import { ConcurrentUpdateError } from '../../../src/core/errors.ts';
import type { DomainEvent } from '../../../src/core/messages.ts';
import type { PasswordReset } from '../../../src/identity/domain/password-reset.ts';
import type { PasswordResetRepository } from '../../../src/identity/services/ports.ts';

const live = (reset: PasswordReset): boolean => reset.usedAt === null && reset.revokedAt === null;

/**
 * password_resets in memory, committed rows by id (without events). An attempt that read an account's resets for the
 * throttle (`lastIssuedFor`, which locks the account in Postgres) or wrote any of them fails at commit when another
 * transaction committed a write to that account's resets meanwhile, and is retried: the outcome the row lock and the
 * conditional UPDATEs give on Postgres.
 */
export class FakePasswordResetTable {
  readonly rows = new Map<string, PasswordReset>();
  /** Per account: how many committed transactions wrote its resets. */
  readonly #stamps = new Map<string, number>();

  seed(reset: PasswordReset): this {
    this.rows.set(reset.id, { ...reset, events: [] });
    return this;
  }

  /** The committed reset whose mailed token hashes to `tokenHash`. */
  byHash(tokenHash: string): PasswordReset | undefined {
    return [...this.rows.values()].find((reset) => reset.tokenHash === tokenHash);
  }

  /** One attempt's view: its repository, then the commit check and apply the store runs after `work`. */
  draft(pending: DomainEvent[]) {
    const writes = new Map<string, PasswordReset | null>();
    const bases = new Map<string, number>();
    const written = new Set<string>();
    const all = (): PasswordReset[] => {
      const merged = new Map(this.rows);
      for (const [id, row] of writes) {
        if (row === null) merged.delete(id);
        else merged.set(id, row);
      }
      return [...merged.values()];
    };
    const get = (id: string): PasswordReset | null =>
      writes.has(id) ? (writes.get(id) ?? null) : (this.rows.get(id) ?? null);
    const touch = (userId: string, write: boolean): void => {
      if (!bases.has(userId)) bases.set(userId, this.#stamps.get(userId) ?? 0);
      if (write) written.add(userId);
    };
    const ofUser = (userId: string) => all().filter((reset) => reset.userId === userId);
    const write = (reset: PasswordReset): void => {
      touch(reset.userId, true);
      writes.set(reset.id, reset);
    };

    const repository: PasswordResetRepository = {
      findById: async (id) => get(id),
      findByHash: async (hash) => all().find((reset) => reset.tokenHash === hash) ?? null,
      lastIssuedFor: async (userId) => {
        touch(userId, false);
        const times = ofUser(userId).map((reset) => reset.createdAt.getTime());
        return times.length === 0 ? null : new Date(Math.max(...times));
      },
      add: async (reset) => {
        if (get(reset.id)) throw new ConcurrentUpdateError('Password reset');
        write({ ...reset, events: [] });
        pending.push(...reset.events);
      },
      setTokenHash: async (id, tokenHash) => {
        const reset = get(id);
        if (!reset || !live(reset) || reset.tokenHash !== null) throw new ConcurrentUpdateError('Password reset');
        write({ ...reset, tokenHash });
      },
      markUsed: async (hash, now) => {
        const reset = all().find((candidate) => candidate.tokenHash === hash);
        if (!reset || !live(reset)) throw new ConcurrentUpdateError('Password reset');
        write({ ...reset, usedAt: now });
      },
      revokeAllOf: async (userId, now) => {
        touch(userId, true);
        for (const reset of ofUser(userId)) if (live(reset)) write({ ...reset, revokedAt: now });
      },
      deleteExpiredOf: async (userId, before) => {
        touch(userId, true);
        for (const reset of ofUser(userId)) if (reset.expiresAt < before) writes.set(reset.id, null);
      },
    };

    return {
      repository,
      checkStillCurrent: (): void => {
        for (const [userId, base] of bases) {
          if ((this.#stamps.get(userId) ?? 0) !== base) throw new ConcurrentUpdateError(`Password resets of ${userId}`);
        }
      },
      apply: (): void => {
        for (const [id, row] of writes) {
          if (row === null) this.rows.delete(id);
          else this.rows.set(id, row);
        }
        for (const userId of written) this.#stamps.set(userId, (this.#stamps.get(userId) ?? 0) + 1);
      },
    };
  }
}

import { ConcurrentUpdateError } from '../../../src/core/errors.ts';
import type { DomainEvent } from '../../../src/core/messages.ts';
import type { PasswordResetToken } from '../../../src/identity/domain/password-reset.ts';
import type { PasswordResetRepository } from '../../../src/identity/services/ports.ts';

const live = (token: PasswordResetToken): boolean => token.usedAt === null && token.revokedAt === null;

/**
 * password_reset_tokens in memory, committed rows by token hash (without events). An attempt that read an account's
 * tokens for the throttle (`lastIssuedFor`, which locks the account in Postgres) or wrote any of them fails at commit
 * when another transaction committed a write to that account's tokens meanwhile, and is retried: the outcome the
 * row lock and the conditional UPDATE give on Postgres.
 */
export class FakePasswordResetTable {
  readonly rows = new Map<string, PasswordResetToken>();
  /** Per account: how many committed transactions wrote its tokens. */
  readonly #stamps = new Map<string, number>();

  seed(token: PasswordResetToken): this {
    this.rows.set(token.tokenHash, { ...token, events: [] });
    return this;
  }

  /** One attempt's view: its repository, then the commit check and apply the store runs after `work`. */
  draft(pending: DomainEvent[]) {
    const writes = new Map<string, PasswordResetToken | null>();
    const bases = new Map<string, number>();
    const written = new Set<string>();
    const all = (): PasswordResetToken[] => {
      const merged = new Map(this.rows);
      for (const [hash, row] of writes) {
        if (row === null) merged.delete(hash);
        else merged.set(hash, row);
      }
      return [...merged.values()];
    };
    const get = (hash: string): PasswordResetToken | null =>
      writes.has(hash) ? (writes.get(hash) ?? null) : (this.rows.get(hash) ?? null);
    const touch = (userId: string, write: boolean): void => {
      if (!bases.has(userId)) bases.set(userId, this.#stamps.get(userId) ?? 0);
      if (write) written.add(userId);
    };
    const ofUser = (userId: string) => all().filter((token) => token.userId === userId);

    const repository: PasswordResetRepository = {
      findByHash: async (hash) => get(hash),
      lastIssuedFor: async (userId) => {
        touch(userId, false);
        const times = ofUser(userId).map((token) => token.createdAt.getTime());
        return times.length === 0 ? null : new Date(Math.max(...times));
      },
      add: async (token) => {
        if (get(token.tokenHash)) throw new ConcurrentUpdateError('Password reset token');
        touch(token.userId, true);
        writes.set(token.tokenHash, { ...token, events: [] });
        pending.push(...token.events);
      },
      markUsed: async (hash, now) => {
        const token = get(hash);
        if (!token || !live(token)) throw new ConcurrentUpdateError('Password reset token');
        touch(token.userId, true);
        writes.set(hash, { ...token, usedAt: now });
      },
      revokeAllOf: async (userId, now) => {
        touch(userId, true);
        for (const token of ofUser(userId)) if (live(token)) writes.set(token.tokenHash, { ...token, revokedAt: now });
      },
      deleteExpiredOf: async (userId, before) => {
        touch(userId, true);
        for (const token of ofUser(userId)) if (token.expiresAt < before) writes.set(token.tokenHash, null);
      },
    };

    return {
      repository,
      checkStillCurrent: (): void => {
        for (const [userId, base] of bases) {
          if ((this.#stamps.get(userId) ?? 0) !== base)
            throw new ConcurrentUpdateError(`Password reset tokens of ${userId}`);
        }
      },
      apply: (): void => {
        for (const [hash, row] of writes) {
          if (row === null) this.rows.delete(hash);
          else this.rows.set(hash, row);
        }
        for (const userId of written) this.#stamps.set(userId, (this.#stamps.get(userId) ?? 0) + 1);
      },
    };
  }
}

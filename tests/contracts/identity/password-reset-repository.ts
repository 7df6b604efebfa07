import { ConcurrentUpdateError } from '../../../src/core/errors.ts';
import type { DomainEvent } from '../../../src/core/messages.ts';
import { openPasswordReset } from '../../../src/identity/domain/password-reset.ts';
import type { PasswordResetRepository } from '../../../src/identity/services/ports.ts';

/**
 * What every PasswordResetRepository does, whatever stores it: the fake in tests/unit and the slonik adapter in
 * tests/integration run this same suite, so a behaviour the services' unit tests rely on is one the adapter has.
 */
export type PasswordResetSubject = {
  /** Runs `work` in one transaction: committed if it returns, nothing kept if it throws. */
  inTransaction<T>(work: (resets: PasswordResetRepository, events: DomainEvent[]) => Promise<T>): Promise<T>;
  end(): Promise<void>;
};

/** `makeSubject` gets a store where the accounts ADA and BOB exist and hold no reset. */
export const ADA = '5d9f0a52-8a0e-4d3b-9d5c-1f2e3a4b5c6d';
export const BOB = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';

const NOW = new Date('2026-11-25T12:00:00.000Z');
const MINUTE = 60_000;
const at = (minutes: number) => new Date(NOW.getTime() + minutes * MINUTE);
const idOf = (name: string): string =>
  `00000000-0000-4000-8000-${Buffer.from(name).toString('hex').padEnd(12, '0').slice(0, 12)}`;
const opened = (name: string, userId = ADA, minutes = 0) =>
  openPasswordReset({ id: idOf(name), userId, email: 'someone@example.com', now: at(minutes), ttlMs: 30 * MINUTE });

export const describePasswordResetRepositoryContract = (makeSubject: () => Promise<PasswordResetSubject>): void => {
  let subject: PasswordResetSubject;
  const run = <T>(work: (resets: PasswordResetRepository, events: DomainEvent[]) => Promise<T>) =>
    subject.inTransaction(work);
  const mailed = async (name: string, userId = ADA, minutes = 0) => {
    await run((resets) => resets.add(opened(name, userId, minutes)));
    await run((resets) => resets.setTokenHash(idOf(name), name));
  };

  beforeEach(async () => {
    subject = await makeSubject();
  });
  afterEach(async () => subject.end());

  it('adds a reset without a token, finds it by id, and hands over its events', async () => {
    const reset = opened('one');
    const events = await run(async (resets, recorded) => {
      await resets.add(reset);
      return recorded;
    });

    expect(events).toEqual(reset.events);
    expect(await run((resets) => resets.findById(idOf('one')))).toEqual({ ...reset, events: [] });
    expect(await run((resets) => resets.findById('not-a-uuid'))).toBeNull();
  });

  it('refuses a second reset with the same id as a concurrent update', async () => {
    await run((resets) => resets.add(opened('one')));

    await expect(run((resets) => resets.add(opened('one')))).rejects.toBeInstanceOf(ConcurrentUpdateError);
  });

  it('mints a token once, then finds the reset by its hash', async () => {
    await mailed('one');

    expect(await run((resets) => resets.findByHash('one'))).toMatchObject({ id: idOf('one'), tokenHash: 'one' });
    expect(await run((resets) => resets.findByHash('other'))).toBeNull();
    await expect(run((resets) => resets.setTokenHash(idOf('one'), 'again'))).rejects.toBeInstanceOf(
      ConcurrentUpdateError,
    );
  });

  it('spends a reset once: a second redemption, or one of an unknown token, is a concurrent update', async () => {
    await mailed('one');
    await run((resets) => resets.markUsed('one', at(1)));

    expect(await run((resets) => resets.findById(idOf('one')))).toMatchObject({ usedAt: at(1), revokedAt: null });
    await expect(run((resets) => resets.markUsed('one', at(2)))).rejects.toBeInstanceOf(ConcurrentUpdateError);
    await expect(run((resets) => resets.markUsed('unknown', at(2)))).rejects.toBeInstanceOf(ConcurrentUpdateError);
  });

  it("revokes every live reset of one account, mailed or not, and leaves spent ones and other accounts' alone", async () => {
    await mailed('spent');
    await run((resets) => resets.markUsed('spent', at(1)));
    await mailed('mailed');
    await run((resets) => resets.add(opened('unmailed')));
    await mailed('bobs', BOB);

    await run((resets) => resets.revokeAllOf(ADA, at(5)));

    const stateOf = (name: string) =>
      run(async (resets) => {
        const reset = await resets.findById(idOf(name));
        return { usedAt: reset?.usedAt, revokedAt: reset?.revokedAt };
      });
    expect(await stateOf('spent')).toEqual({ usedAt: at(1), revokedAt: null });
    expect(await stateOf('mailed')).toEqual({ usedAt: null, revokedAt: at(5) });
    expect(await stateOf('unmailed')).toEqual({ usedAt: null, revokedAt: at(5) });
    expect(await stateOf('bobs')).toEqual({ usedAt: null, revokedAt: null });
    await expect(run((resets) => resets.setTokenHash(idOf('unmailed'), 'late'))).rejects.toBeInstanceOf(
      ConcurrentUpdateError,
    );
    await expect(run((resets) => resets.markUsed('mailed', at(6)))).rejects.toBeInstanceOf(ConcurrentUpdateError);
  });

  it("tells when the account's newest reset was requested, whatever its state", async () => {
    expect(await run((resets) => resets.lastIssuedFor(ADA))).toBeNull();
    await run((resets) => resets.add(opened('first', ADA, 0)));
    await run((resets) => resets.add(opened('second', ADA, 3)));
    await run((resets) => resets.revokeAllOf(ADA, at(4)));
    await run((resets) => resets.add(opened('bobs', BOB, 9)));

    expect(await run((resets) => resets.lastIssuedFor(ADA))).toEqual(at(3));
    expect(await run((resets) => resets.lastIssuedFor('not-a-uuid'))).toBeNull();
  });

  it('forgets only the resets of that account which expired before the given time', async () => {
    await run((resets) => resets.add(opened('old', ADA, 0)));
    await run((resets) => resets.add(opened('recent', ADA, 20)));
    await run((resets) => resets.add(opened('bobs-old', BOB, 0)));

    // 'old' expires at +30 min, 'recent' at +50 min.
    await run((resets) => resets.deleteExpiredOf(ADA, at(31)));

    const present = (name: string) => run(async (resets) => (await resets.findById(idOf(name))) !== null);
    expect([await present('old'), await present('recent'), await present('bobs-old')]).toEqual([false, true, true]);
  });

  it('keeps nothing of a transaction that failed', async () => {
    await expect(
      run(async (resets) => {
        await resets.add(opened('one'));
        throw new Error('the handler failed');
      }),
    ).rejects.toThrow('the handler failed');

    expect(await run((resets) => resets.findById(idOf('one')))).toBeNull();
  });
};

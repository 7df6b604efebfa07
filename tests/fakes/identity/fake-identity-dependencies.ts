import type { Clock } from '../../../src/core/ports.ts';
import type { IdentityDependencies, IdentityPolicy } from '../../../src/identity/services/ports.ts';
import { FakeIdentityStore } from './fake-identity-store.ts';
import { FakePasswordHasher } from './fake-password-hasher.ts';
import { FakeAccessTokenIssuer, FakeRefreshTokenFactory, FakeResetTokenFactory } from './fake-tokens.ts';

/** A clock that stands still until a test moves it. */
export class FakeClock implements Clock {
  #now: Date;

  constructor(start: Date = new Date('2026-01-01T00:00:00.000Z')) {
    this.#now = start;
  }

  now(): Date {
    return new Date(this.#now);
  }

  advance(ms: number): void {
    this.#now = new Date(this.#now.getTime() + ms);
  }
}

export const FAKE_IDENTITY_POLICY: IdentityPolicy = {
  maxFailures: 3,
  lockoutMs: 60_000,
  refreshTokenTtlMs: 30 * 24 * 60 * 60 * 1000,
  passwordResetTtlMs: 30 * 60 * 1000,
  passwordResetEmailIntervalMs: 60_000,
  passwordResetMinResponseMs: 250,
};

/** Sequential ids: 'id-1', 'id-2'... */
export const sequentialIds = (): (() => string) => {
  let count = 0;
  return () => `id-${(count += 1)}`;
};

/**
 * Identity fakes, each exposed with its concrete type so tests can inspect it, over one in-memory database.
 * `dependencies()` is the per-message factory for `bindCommandHandlers`: a fresh unit of work each time.
 */
export const createFakeIdentityDependencies = (overrides: { policy?: Partial<IdentityPolicy> } = {}) => {
  const fakes = {
    store: new FakeIdentityStore(),
    clock: new FakeClock(),
    ids: sequentialIds(),
    hasher: new FakePasswordHasher(),
    accessTokens: new FakeAccessTokenIssuer(),
    refreshTokens: new FakeRefreshTokenFactory(),
    resetTokens: new FakeResetTokenFactory(),
    policy: { ...FAKE_IDENTITY_POLICY, ...overrides.policy },
  };
  /** Every wait a handler asked for, in ms; none of them takes any time. */
  const slept: number[] = [];
  const sleep = async (ms: number): Promise<void> => void slept.push(ms);
  const { store, ...shared } = fakes;
  const dependencies = (): IdentityDependencies => ({ ...shared, sleep, uow: store.unitOfWork() });
  return { ...fakes, slept, dependencies };
};

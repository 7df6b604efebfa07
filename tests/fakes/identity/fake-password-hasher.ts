import type { PasswordHasher } from '../../../src/identity/services/ports.ts';

const CURRENT = 'fake$v1$';
/** Hashes of an older "algorithm version" still verify, but ask to be replaced. */
export const OUTDATED = 'fake$v0$';

/**
 * A transparent stand-in for argon2: `hash('pw')` is 'fake$v1$pw'. It counts calls so tests can prove that every
 * login attempt verifies exactly once and that hashing happens only when it must.
 */
export class FakePasswordHasher implements PasswordHasher {
  /** No password a test types maps to it (a NUL byte inside), like argon2's hash of a random password. */
  readonly dummyHash = `${CURRENT}\u0000dummy`;
  /** The stored hash each verify call was given, in order. */
  readonly verified: string[] = [];
  hashCount = 0;
  /** Lets a test observe the moment of hashing, e.g. whether a transaction is open then. */
  onHash: () => void = () => {};

  get verifyCount(): number {
    return this.verified.length;
  }

  async hash(password: string): Promise<string> {
    this.hashCount += 1;
    this.onHash();
    return CURRENT + password;
  }

  async verify(storedHash: string, password: string): Promise<boolean> {
    this.verified.push(storedHash);
    return storedHash === CURRENT + password || storedHash === OUTDATED + password;
  }

  needsRehash(storedHash: string): boolean {
    return storedHash.startsWith(OUTDATED);
  }
}

import { hash } from '@node-rs/argon2';
import { createArgon2PasswordHasher, parseArgon2Hash } from '../../../src/identity/adapters/argon2-password-hasher.ts';

const hasher = createArgon2PasswordHasher();

describe('the argon2id password hasher', () => {
  it('verifies a password against its own hash, an argon2id PHC string at the OWASP parameters', async () => {
    const stored = await hasher.hash('correct horse battery staple');

    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await hasher.verify(stored, 'correct horse battery staple')).toBe(true);
  });

  it('salts: the same password hashes differently each time', async () => {
    expect(await hasher.hash('same password')).not.toBe(await hasher.hash('same password'));
  });

  it('answers false for a wrong password', async () => {
    const stored = await hasher.hash('correct horse battery staple');

    expect(await hasher.verify(stored, 'Correct horse battery staple')).toBe(false);
  });

  it.each([
    ['an empty string', ''],
    ['plain text', 'not-a-hash'],
    ['a bcrypt hash', '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy'],
    ['an argon2 string with a two-byte salt', '$argon2id$v=19$m=19456,t=2,p=1$bad$bad'],
    ['a truncated argon2 string', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0'],
  ])('answers false, without throwing, for a stored hash that is %s', async (_case, stored) => {
    await expect(hasher.verify(stored, 'whatever password')).resolves.toBe(false);
  });

  it('asks for a rehash of a hash made with less memory, fewer passes or another argon2 variant', async () => {
    const weaker = createArgon2PasswordHasher({ memoryCost: 8192, timeCost: 2, parallelism: 1 });
    const fewerPasses = createArgon2PasswordHasher({ memoryCost: 19_456, timeCost: 1, parallelism: 1 });
    const argon2i = await hash('password', { algorithm: 1, memoryCost: 19_456, timeCost: 2, parallelism: 1 });

    expect(hasher.needsRehash(await weaker.hash('password'))).toBe(true);
    expect(hasher.needsRehash(await fewerPasses.hash('password'))).toBe(true);
    expect(hasher.needsRehash(argon2i)).toBe(true);
    expect(hasher.needsRehash('not-a-hash')).toBe(true);
  });

  it('does not ask for a rehash of a hash at the current parameters, or stronger ones', async () => {
    const stronger = createArgon2PasswordHasher({ memoryCost: 32_768, timeCost: 3, parallelism: 1 });

    expect(hasher.needsRehash(await hasher.hash('password'))).toBe(false);
    expect(hasher.needsRehash(await stronger.hash('password'))).toBe(false);
  });

  it('has a dummy hash at the current parameters that matches no likely password', async () => {
    expect(parseArgon2Hash(hasher.dummyHash)).toEqual({
      algorithm: 'argon2id',
      version: 19,
      memoryCost: 19_456,
      timeCost: 2,
      parallelism: 1,
    });
    expect(hasher.needsRehash(hasher.dummyHash)).toBe(false);
    expect(await hasher.verify(hasher.dummyHash, '')).toBe(false);
    expect(await hasher.verify(hasher.dummyHash, 'password')).toBe(false);
  });
});

import {
  checkName,
  checkPasswordPolicy,
  isLocked,
  normaliseEmail,
  recordFailedLogin,
  recordSuccessfulLogin,
  registerUser,
  withRole,
  type LockoutPolicy,
  type User,
} from '../../../src/identity/domain/user.ts';
import { domainErrorOf } from '../../support/domain-assertions.ts';

const NOW = new Date('2026-01-01T00:00:00.000Z');
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const POLICY: LockoutPolicy = { maxFailures: 3, lockoutMs: MINUTE };

const user = (overrides: Partial<User> = {}): User => ({
  ...registerUser({ id: 'u-1', email: 'ada@example.com', name: 'Ada', passwordHash: 'hash', now: NOW }),
  events: [],
  ...overrides,
});

/** `times` wrong passwords in a row, all at NOW. */
const failures = (start: User, times: number): User =>
  Array.from({ length: times }).reduce<User>((current) => recordFailedLogin(current, NOW, POLICY), start);

const lockMsAfter = (times: number): number | undefined => {
  const until = failures(user(), times).lockedUntil;
  return until ? until.getTime() - NOW.getTime() : undefined;
};

describe('email addresses', () => {
  it('are trimmed and lower-cased, so one mailbox is one account', () => {
    expect(normaliseEmail('  Ada.Lovelace@Example.COM \n')).toBe('ada.lovelace@example.com');
  });

  it.each([
    ['no @', 'ada.example.com'],
    ['no domain dot', 'ada@example'],
    ['a space inside', 'ada lovelace@example.com'],
    ['two @', 'ada@@example.com'],
    ['nothing', '   '],
    ['255 characters', `${'a'.repeat(243)}@example.com`],
  ])('with %s are refused as invalid input on the email field', (_name, raw) => {
    expect(domainErrorOf(() => normaliseEmail(raw))).toMatchObject({
      category: 'InvalidInput',
      details: { field: 'email' },
    });
  });

  it('of 254 characters are accepted', () => {
    expect(normaliseEmail(`${'a'.repeat(242)}@example.com`)).toHaveLength(254);
  });
});

describe('the password policy (8 to 128 code points, nothing else)', () => {
  const emoji = '😀'; // one code point, two UTF-16 units

  it.each([
    ['8 ASCII characters', 'a'.repeat(8)],
    ['128 ASCII characters', 'a'.repeat(128)],
    ['8 emoji (16 UTF-16 units)', emoji.repeat(8)],
    ['128 emoji (256 UTF-16 units)', emoji.repeat(128)],
    ['only digits and spaces, no complexity rules', '1234 5678'],
  ])('accepts %s', (_name, password) => {
    expect(() => checkPasswordPolicy(password)).not.toThrow();
  });

  it.each([
    ['7 ASCII characters', 'a'.repeat(7)],
    ['129 ASCII characters', 'a'.repeat(129)],
    ['4 emoji, though they are 8 UTF-16 units', emoji.repeat(4)],
    ['7 emoji', emoji.repeat(7)],
    ['129 emoji', emoji.repeat(129)],
  ])('refuses %s on the password field', (_name, password) => {
    expect(domainErrorOf(() => checkPasswordPolicy(password))).toMatchObject({
      category: 'InvalidInput',
      details: { field: 'password' },
    });
  });
});

describe('names', () => {
  it('of 1 and of 100 characters are accepted, trimmed', () => {
    expect(checkName(' A ')).toBe('A');
    expect(checkName('n'.repeat(100))).toHaveLength(100);
  });

  it.each([
    ['empty', ''],
    ['only spaces', '   '],
    ['101 characters', 'n'.repeat(101)],
  ])('%s are refused on the name field, saying what is allowed', (_name, raw) => {
    expect(domainErrorOf(() => checkName(raw))).toMatchObject({
      category: 'InvalidInput',
      message: 'name must be 1 to 100 characters long',
      details: { field: 'name' },
    });
  });
});

describe('registering a user', () => {
  it('stores the normalised email and trimmed name, no roles, no failures, and raises UserSignedUp', () => {
    const registered = registerUser({
      id: 'u-1',
      email: ' Ada@Example.com',
      name: ' Ada ',
      passwordHash: 'h',
      now: NOW,
    });

    expect(registered).toMatchObject({ email: 'ada@example.com', name: 'Ada', roles: [], failedLogins: 0, version: 0 });
    expect(registered.events).toEqual([{ type: 'UserSignedUp', userId: 'u-1', email: 'ada@example.com' }]);
  });

  it('grants a role once, however often it is asked', () => {
    const admin = withRole(withRole(user(), 'admin'), 'admin');

    expect(admin.roles).toEqual(['admin']);
  });
});

describe('locking an account after repeated wrong passwords', () => {
  it('counts failures below the limit without locking, raising LoginFailed each time', () => {
    const twice = failures(user(), 2);

    expect(twice.failedLogins).toBe(2);
    expect(twice.lockedUntil).toBeNull();
    expect(twice.events).toEqual([
      { type: 'LoginFailed', userId: 'u-1', failures: 1 },
      { type: 'LoginFailed', userId: 'u-1', failures: 2 },
    ]);
  });

  it('locks for lockoutMs at maxFailures and raises AccountLocked', () => {
    const locked = failures(user(), 3);

    expect(locked.lockedUntil).toEqual(new Date(NOW.getTime() + MINUTE));
    expect(isLocked(locked, NOW)).toBe(true);
    expect(locked.events.at(-1)).toEqual({ type: 'AccountLocked', userId: 'u-1', until: locked.lockedUntil });
  });

  it('doubles the lock with every further failure at the limit', () => {
    expect([3, 4, 5, 6].map(lockMsAfter)).toEqual([MINUTE, 2 * MINUTE, 4 * MINUTE, 8 * MINUTE]);
  });

  it('never locks for more than 24 hours, however many failures', () => {
    expect(lockMsAfter(3 + 11)).toBe(DAY); // 2^11 minutes would be 34 hours
    expect(lockMsAfter(3 + 2000)).toBe(DAY); // 2^2000 is Infinity in floating point
  });

  it('stops refusing once the lock has run out', () => {
    const locked = failures(user(), 3);

    expect(isLocked(locked, new Date(NOW.getTime() + MINUTE - 1))).toBe(true);
    expect(isLocked(locked, new Date(NOW.getTime() + MINUTE))).toBe(false);
  });

  it('starts over after a successful login, keeping the hash unless a new one is given', () => {
    const locked = failures(user(), 4);

    expect(recordSuccessfulLogin(locked, null)).toMatchObject({
      failedLogins: 0,
      lockedUntil: null,
      passwordHash: 'hash',
    });
    expect(recordSuccessfulLogin(locked, 'stronger').passwordHash).toBe('stronger');
  });
});

import fc from 'fast-check';
import { DomainError } from '../../../src/core/errors.ts';
import { checkPasswordPolicy, normaliseEmail } from '../../../src/identity/domain/user.ts';
import { calendarDate, identifier, MAX_QUANTITY, quantity } from '../../../src/inventory/domain/values.ts';

/**
 * The input validators against independent oracles written from their documented rules (not from their regexes):
 * each accepts exactly what its rule allows, returns it unchanged, and refuses the rest with an InvalidInput
 * DomainError naming the field.
 */

const RUNS = { numRuns: 200 };

/** true when `run` returns, false when it throws the validator's InvalidInput error (anything else fails). */
const accepts = (run: () => unknown): boolean => {
  try {
    run();
    return true;
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).category).toBe('InvalidInput');
    return false;
  }
};

// --- identifier: "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit" (ASCII letters) ---
const isAsciiLetterOrDigit = (unit: number): boolean =>
  (unit >= 48 && unit <= 57) || (unit >= 65 && unit <= 90) || (unit >= 97 && unit <= 122);
const identifierOracle = (value: string): boolean => {
  if (value.length < 1 || value.length > 64) return false;
  for (let index = 0; index < value.length; index += 1) {
    const unit = value.charCodeAt(index);
    const punctuation = unit === 46 || unit === 95 || unit === 45; // . _ -
    if (index === 0 ? !isAsciiLetterOrDigit(unit) : !(isAsciiLetterOrDigit(unit) || punctuation)) return false;
  }
  return true;
};
const identifierChars = fc.constantFrom(
  ...'abcXYZ019.-_'.split(''),
  ' ',
  '\n',
  '\r',
  '\t',
  '\u0000',
  '/',
  "'",
  '"',
  ';',
  '$',
  '^',
  '@',
  'é',
  'Ä',
  'ß',
  '١',
  '𝟘',
  '🚀',
  'ｱ',
  '\u212A' /* Kelvin */,
);
const identifierCandidate = fc.oneof(
  fc.string({ unit: identifierChars, maxLength: 70 }),
  fc.string({ unit: fc.constantFrom(...'aZ9.-_'.split('')), minLength: 60, maxLength: 68 }),
  fc.string({ unit: 'binary', maxLength: 66 }),
  fc.constantFrom('a', 'a\n', '\na', 'a'.repeat(64), 'a'.repeat(65), '.a', '-a', '_a', 'a-', '0', 'İ'),
);

// --- quantity: "a whole number from 1 to 2147483647" ---
const quantityOracle = (value: number): boolean =>
  typeof value === 'number' &&
  Number.isFinite(value) &&
  Math.floor(value) === value &&
  value >= 1 &&
  value <= 2147483647;
const quantityCandidate = fc.oneof(
  fc.integer(),
  fc.integer({ min: -3, max: 3 }),
  fc.integer({ min: MAX_QUANTITY - 3, max: MAX_QUANTITY }).chain((near) => fc.constantFrom(near, near + 1, near + 4)),
  fc.double(),
  fc.double({ min: 0, max: 2 ** 32 }),
  fc.constantFrom(
    0,
    -0,
    1,
    0.5,
    1.0000001,
    NaN,
    Infinity,
    -Infinity,
    2 ** 31,
    2 ** 53,
    Number.MAX_VALUE,
    Number.EPSILON,
  ),
);

// --- calendarDate: "a real calendar date written YYYY-MM-DD" (Gregorian, years 0001..9999), or null ---
const isDigit = (char: string | undefined): boolean => char !== undefined && char >= '0' && char <= '9';
const daysIn = (year: number, month: number): number => {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
};
const calendarDateOracle = (value: string): boolean => {
  if (value.length !== 10 || value[4] !== '-' || value[7] !== '-') return false;
  for (const index of [0, 1, 2, 3, 5, 6, 8, 9]) if (!isDigit(value[index])) return false;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);
};
const pad = (value: number, width: number): string => String(value).padStart(width, '0');
const dateCandidate = (years: fc.Arbitrary<number>) =>
  fc.oneof(
    fc
      .tuple(years, fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
      .map(([year, month, day]) => `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`),
    fc
      .tuple(years, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 28, max: 31 }))
      .map(([year, month, day]) => `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`),
    fc.string({ unit: fc.constantFrom(...'0123456789-'.split('')), minLength: 8, maxLength: 12 }),
    fc.constantFrom(
      '2024-02-29',
      '2023-02-29',
      '1900-02-29',
      '2000-02-29',
      '2026-12-01',
      '2026-12-01\n',
      ' 2026-12-01',
      '2026-1-01',
      '+02026-12-01',
      '2026-12-01T00:00:00Z',
      '٢٠٢٦-١٢-٠١',
    ),
  );

describe('input validator properties', () => {
  test('identifier accepts exactly 1-64 of [A-Za-z0-9._-] starting with a letter or digit, unchanged', () => {
    fc.assert(
      fc.property(identifierCandidate, (value) => {
        const accepted = accepts(() => expect(identifier('sku', value)).toBe(value));
        expect(accepted).toBe(identifierOracle(value));
      }),
      RUNS,
    );
  });

  test('identifier names the field it refused', () => {
    expect(() => identifier('reference', '')).toThrow(expect.objectContaining({ details: { field: 'reference' } }));
  });

  test('quantity accepts exactly the whole numbers from 1 to 2^31 - 1, unchanged', () => {
    fc.assert(
      fc.property(quantityCandidate, (value) => {
        const accepted = accepts(() => expect(quantity('quantity', value)).toBe(value));
        expect([value, accepted]).toEqual([value, quantityOracle(value)]);
      }),
      RUNS,
    );
  });

  test('calendarDate accepts exactly the real Gregorian dates written YYYY-MM-DD (years 0100-9999), and null', () => {
    expect(calendarDate('eta', null)).toBeNull();
    fc.assert(
      fc.property(dateCandidate(fc.integer({ min: 100, max: 9999 })), (value) => {
        const accepted = accepts(() => expect(calendarDate('eta', value)).toBe(value));
        expect([value, accepted]).toEqual([value, calendarDateOracle(value)]);
      }),
      RUNS,
    );
  });

  // Date.UTC reads years 0-99 as 1900-1999; these once failed the round trip. Year 0000 stays refused.
  test('calendarDate accepts real dates in the years 0001-0099', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        (year, month, day) => {
          const value = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
          expect(calendarDate('eta', value)).toBe(value);
        },
      ),
      { numRuns: 50 },
    );
  });

  test('normaliseEmail is idempotent and its output is trimmed and lower-case', () => {
    const candidate = fc.oneof(
      fc.emailAddress(),
      fc.emailAddress().map((email) => ` \t${email.toUpperCase()}\n `),
      fc
        .tuple(fc.string({ unit: 'binary', maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 20 }))
        .map(([local, domain]) => `${local}@${domain}.x`),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.constantFrom(
        'İ@EXAMPLE.COM',
        'ẞ@example.com',
        'Ⅻ@example.com',
        `${'a'.repeat(250)}@b.co`,
        'a@b.c\u00a0',
        '\u2028a@b.co',
      ),
    );
    fc.assert(
      fc.property(candidate, (raw) => {
        let once: string;
        try {
          once = normaliseEmail(raw);
        } catch (error) {
          expect(error).toBeInstanceOf(DomainError);
          return;
        }
        expect(normaliseEmail(once)).toBe(once);
        expect(once).toBe(once.trim());
        expect(once).toBe(once.toLowerCase());
        expect(once.length).toBeLessThanOrEqual(254);
      }),
      RUNS,
    );
  });

  test('checkPasswordPolicy accepts exactly 8 to 128 Unicode code points', () => {
    /** Code points counted by hand: a high surrogate followed by a low one is one; anything else one per unit. */
    const codePoints = (value: string): number => {
      let count = 0;
      for (let index = 0; index < value.length; index += 1) {
        const unit = value.charCodeAt(index);
        const next = value.charCodeAt(index + 1);
        if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) index += 1;
        count += 1;
      }
      return count;
    };
    const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit));
    const candidate = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 140 }),
      fc.string({ unit: 'binary', minLength: 120, maxLength: 135 }),
      fc.string({ unit: fc.constantFrom('a', '🚀', 'é', ' ', '\u0000'), minLength: 5, maxLength: 12 }),
      fc.string({ unit: fc.oneof(fc.constantFrom('a', '🚀'), loneSurrogate), minLength: 4, maxLength: 130 }),
      fc.string({ unit: 'grapheme-composite', maxLength: 70 }),
    );
    fc.assert(
      fc.property(candidate, (password) => {
        const length = codePoints(password);
        expect([length, accepts(() => checkPasswordPolicy(password))]).toEqual([length, length >= 8 && length <= 128]);
      }),
      RUNS,
    );
    // The boundaries, in astral characters (two UTF-16 units each).
    expect(accepts(() => checkPasswordPolicy('🚀'.repeat(7)))).toBe(false);
    expect(accepts(() => checkPasswordPolicy('🚀'.repeat(8)))).toBe(true);
    expect(accepts(() => checkPasswordPolicy('🚀'.repeat(128)))).toBe(true);
    expect(accepts(() => checkPasswordPolicy('🚀'.repeat(129)))).toBe(false);
  });
});

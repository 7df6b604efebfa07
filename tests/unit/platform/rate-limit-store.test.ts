/**
 * rate-limiter-flexible's Postgres store sends pg-style statements (`$n` placeholders, values apart); they run on the
 * application's slonik pool as the same statement with the values bound in place.
 */
import { asSlonikQuery } from '../../../src/platform/auth/rate-limit-store.ts';

test('each placeholder becomes a bound value in place, a repeated one bound again', () => {
  const query = asSlonikQuery(
    'UPDATE t SET points = CASE WHEN expire <= $3 THEN $2 ELSE points + $2 END WHERE key = $1',
    ['auth-account:abc', 1, 1_700_000_000_000],
  );
  expect(query.sql).toBe(
    'UPDATE t SET points = CASE WHEN expire <= $slonik_1 THEN $slonik_2 ELSE points + $slonik_3 END WHERE key = $slonik_4',
  );
  expect(query.values).toEqual([1_700_000_000_000, 1, 1, 'auth-account:abc']);
});

test('a statement without placeholders is sent as it is', () => {
  expect(asSlonikQuery('SELECT 1', []).sql).toBe('SELECT 1');
});

test('a placeholder without a value is refused rather than bound to undefined', () => {
  expect(() => asSlonikQuery('SELECT $2', ['only one'])).toThrow('no value for $2');
});

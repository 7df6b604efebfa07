import { inlineParameters, toSqlLiteral } from '../support/pg-mem-sql.ts';

describe('inlining bound values for pg-mem', () => {
  it('replaces each placeholder with its value as a literal, $10 distinct from $1', () => {
    const values = ['a', 2, 3, 4, 5, 6, 7, 8, 9, 'ten'];

    expect(inlineParameters('select $1, $10, $2', values)).toBe("select 'a', 'ten', 2");
  });

  it('leaves placeholder-like text in strings, identifiers, comments and dollar quotes alone', () => {
    const text = `select '$1', E'\\'$1', "$1", $$ $1 $$, $tag$ $1 $tag$ -- $1\n, /* $1 */ $1`;

    expect(inlineParameters(text, ['x'])).toBe(
      `select '$1', E'\\'$1', "$1", $$ $1 $$, $tag$ $1 $tag$ -- $1\n, /* $1 */ 'x'`,
    );
  });

  it('doubles single quotes so a value can never end its literal', () => {
    expect(toSqlLiteral("'; drop table products; --")).toBe("'''; drop table products; --'");
  });

  it('parenthesises negative numbers so `a-$1` cannot turn into a comment', () => {
    expect(inlineParameters('select 1-$1', [-5])).toBe('select 1-(-5)');
    expect(inlineParameters('select 1-$1', [-5n])).toBe('select 1-(-5)');
  });

  it('quotes numbers that are not plain numeric literals', () => {
    expect([1e21, Number.NaN, 1.5].map(toSqlLiteral)).toEqual(["'1e+21'", "'NaN'", '1.5']);
  });

  it('renders null, booleans, dates, arrays and objects like node-postgres parameters', () => {
    expect(
      [null, undefined, true, new Date('2026-01-02T03:04:05.678Z'), ['a', null], [], { a: "it's" }].map(toSqlLiteral),
    ).toEqual(['null', 'null', 'true', "'2026-01-02T03:04:05.678Z'", "ARRAY['a', null]", "'{}'", `'{"a":"it''s"}'`]);
  });

  it('unquotes the lowercase type names slonik quotes, which pg-mem cannot resolve', () => {
    expect(inlineParameters('select $1::"int4"[], $2::"Custom"', [[1], 'x'])).toBe(
      `select ARRAY[1]::int4[], 'x'::"Custom"`,
    );
  });

  it('fails loudly when a placeholder has no value', () => {
    expect(() => inlineParameters('select $2', ['a'])).toThrow('$2');
  });
});

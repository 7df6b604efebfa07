import { sql, type DatabasePool, type PrimitiveValueExpression } from 'slonik';

/** The part of pg's client API rate-limiter-flexible's Postgres store calls (`storeType: 'pool'`). */
export type PgStyleClient = {
  query(query: { readonly text: string; readonly values?: readonly unknown[] }): Promise<{
    readonly rows: readonly unknown[];
    readonly rowCount: number | null;
  }>;
};

const PLACEHOLDER = /\$(\d+)/g;

/**
 * One of the store's statements (constant text with `$n` placeholders, values bound) as a slonik query: each
 * placeholder becomes a slonik value in place, so a `$4` used twice is bound twice. slonik accepts only a template
 * literal's frozen `strings`, to keep string-built SQL out; this text is the library's own, never built from input.
 */
export const asSlonikQuery = (text: string, values: readonly unknown[]) => {
  const parts = text.split(PLACEHOLDER);
  const strings = parts.filter((_, index) => index % 2 === 0);
  const bound = parts
    .filter((_, index) => index % 2 === 1)
    .map((position) => {
      const index = Number(position) - 1;
      if (index < 0 || index >= values.length) throw new RangeError(`rate limit store: no value for $${position}`);
      return values[index] as PrimitiveValueExpression;
    });
  const template = Object.freeze(Object.assign([...strings], { raw: Object.freeze([...strings]) }));
  return sql.unsafe(template, ...bound);
};

/**
 * rate-limiter-flexible's Postgres store over the application's slonik pool rather than a pool of its own: one set
 * of connections to size per instance, the same statement timeout, and a database that cannot be reached fails
 * with slonik's errors, which requests answer SERVICE_UNAVAILABLE like any other query's.
 */
export const slonikStoreClient = (pool: DatabasePool): PgStyleClient => ({
  query: async ({ text, values = [] }) => {
    const result = await pool.query(asSlonikQuery(text, values));
    return { rows: result.rows, rowCount: result.rowCount };
  },
});

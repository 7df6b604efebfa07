import { newDb, type IMemoryDb } from 'pg-mem';
import { shimForPgMem } from '../support/pg-mem-shims.ts';

// Each rewrite is checked twice: pg-mem gets the Postgres form wrong (so the shim is still needed; when a pg-mem
// release fixes one, its first test fails and the shim can go), and the rewritten form gives Postgres' answer.
const database = (): IMemoryDb => {
  const db = newDb();
  db.public.none(`
    CREATE TABLE t (id int PRIMARY KEY, name text NOT NULL UNIQUE, k int NOT NULL);
    INSERT INTO t VALUES (1, 'a', 1), (2, 'b', 2), (3, 'c', 2), (4, 'it''s, (odd)', 3)`);
  return db;
};
const names = (db: IMemoryDb, text: string): string[] => db.public.many(text).map((row: { name: string }) => row.name);

describe('pg-mem shims', () => {
  it('rewrites a two-column row comparison into its definition', () => {
    const db = database();
    const text = `SELECT name FROM t WHERE ("t"."k", "t"."name") > (2, 'b') ORDER BY id`;

    expect(() => db.public.many(text)).toThrow();
    expect(names(db, shimForPgMem(text))).toEqual(['c', "it's, (odd)"]);
    expect(names(db, shimForPgMem("SELECT name FROM t WHERE (k, name) <= (2, 'b') ORDER BY id"))).toEqual(['a', 'b']);
  });

  it('rewrites = ANY(ARRAY[...]::type[]) into an IN list, keeping commas and brackets inside literals', () => {
    const db = database();
    const text = "SELECT name FROM t WHERE name = ANY(ARRAY['a', 'it''s, (odd)', ']']::text[]) ORDER BY id";

    expect(db.public.many(text)).toEqual([]);
    expect(names(db, shimForPgMem(text))).toEqual(['a', "it's, (odd)"]);
  });

  it('drops the conflict target, so RETURNING names only the rows inserted', () => {
    const text = "INSERT INTO t VALUES (9, 'a', 9), (10, 'new', 9) ON CONFLICT (name) DO NOTHING RETURNING name";

    expect(names(database(), text)).toEqual(['a', 'new']);
    expect(shimForPgMem(text)).toContain('ON CONFLICT DO NOTHING RETURNING');
    expect(names(database(), shimForPgMem(text))).toEqual(['new']);
  });

  it("turns graphile-worker's named add_job arguments into positional ones", () => {
    const text =
      "SELECT graphile_worker.add_job('task'::text, '{\"a\":\"x => y\"}'::json, max_attempts => 3::int, job_key => 'k'::text)";

    expect(shimForPgMem(text)).toBe(
      "SELECT graphile_worker.add_job('task'::text, '{\"a\":\"x => y\"}'::json, NULL, NULL, 3::int, 'k'::text)",
    );
    expect(() => shimForPgMem('SELECT graphile_worker.add_job(1, nope => 2)')).toThrow(/nope/);
  });

  it('leaves literals, identifiers and everything else alone', () => {
    const text = `SELECT '(a, b) > (1, 2)', "ON CONFLICT (x) DO NOTHING", coalesce(a, b) FROM t WHERE (a, b) IN ((1, 2))`;

    expect(shimForPgMem(text)).toBe(text);
  });
});

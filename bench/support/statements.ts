/**
 * SQL statements counted by Postgres itself (pg_stat_statements), per login role: each server under test connects
 * as its own role, so its statements are told apart from the benchmark's own (seeding, these very queries) and from
 * the other server's. Every statement Postgres executed for the role counts, including the transaction control
 * (BEGIN/COMMIT/SET TRANSACTION) that the application's own interceptor (statement-counter.ts) never sees, and
 * nothing is sampled: calls are exact counters kept by Postgres.
 */
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';

export type StatementTally = {
  /** Every statement the role ran. */
  readonly total: number;
  /** BEGIN / START TRANSACTION / COMMIT / ROLLBACK / SAVEPOINT / SET TRANSACTION ... */
  readonly transactionControl: number;
  /** The rest: queries and writes. */
  readonly queries: number;
  /** Postgres' own execution time of all those statements (planning excluded), in ms. */
  readonly executionMs: number;
  /** Per normalised statement text, most called first (at most 15), with Postgres' mean execution time. */
  readonly top: ReadonlyArray<{ readonly calls: number; readonly meanMs: number; readonly query: string }>;
};

const TRANSACTION_CONTROL =
  /^\s*(BEGIN|START\s+TRANSACTION|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SET\s+TRANSACTION|END)\b/i;

export const createStatementCounter = async (pool: DatabasePool) => {
  await pool.query(sql.unsafe`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`);
  return {
    reset: async (): Promise<void> => void (await pool.query(sql.unsafe`SELECT pg_stat_statements_reset()`)),
    read: async (role: string): Promise<StatementTally> => {
      const rows = await pool.any(sql.type(z.object({ query: z.string(), calls: z.number(), totalMs: z.number() }))`
        SELECT s.query, s.calls::bigint AS calls, s.total_exec_time::float8 AS "totalMs"
        FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid
        WHERE r.rolname = ${role} AND s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        ORDER BY s.calls DESC`);
      let total = 0;
      let transactionControl = 0;
      let executionMs = 0;
      for (const row of rows) {
        total += row.calls;
        executionMs += row.totalMs;
        if (TRANSACTION_CONTROL.test(row.query)) transactionControl += row.calls;
      }
      return {
        total,
        transactionControl,
        queries: total - transactionControl,
        executionMs: Number(executionMs.toFixed(3)),
        top: rows.slice(0, 15).map((row) => ({
          calls: row.calls,
          meanMs: Number((row.totalMs / Math.max(1, row.calls)).toFixed(3)),
          query: row.query.replace(/\s+/g, ' ').trim().slice(0, 400),
        })),
      };
    },
  };
};

export type StatementCounter = Awaited<ReturnType<typeof createStatementCounter>>;

import { Readable } from 'node:stream';
import type { FieldInfo, IBackup, IMemoryDb, QueryResult } from 'pg-mem';
import {
  createDriverFactory,
  type DriverCommand,
  type DriverFactory,
  type DriverQueryResult,
  type Query,
} from 'slonik';
import { PgMemDatabaseError, toSlonikError } from './pg-mem-errors.ts';
import { shimForPgMem } from './pg-mem-shims.ts';
import { inlineParameters } from './pg-mem-sql.ts';

/**
 * pg-mem type -> the Postgres type name (what slonik type parsers are keyed by) and OID (what the pg driver
 * reports as `dataTypeId`). pg-mem's own ids are wrong for some types (it reports timestamptz as 1114).
 * pg-mem stores numeric as `float`; both come back as a JS number either way.
 */
const postgresTypes: Readonly<Record<string, { name: string; oid: number }>> = {
  bool: { name: 'bool', oid: 16 },
  bytea: { name: 'bytea', oid: 17 },
  bigint: { name: 'int8', oid: 20 },
  integer: { name: 'int4', oid: 23 },
  text: { name: 'text', oid: 25 },
  json: { name: 'json', oid: 114 },
  float: { name: 'float8', oid: 701 },
  inet: { name: 'inet', oid: 869 },
  date: { name: 'date', oid: 1082 },
  time: { name: 'time', oid: 1083 },
  timestamp: { name: 'timestamp', oid: 1114 },
  timestamptz: { name: 'timestamptz', oid: 1184 },
  interval: { name: 'interval', oid: 1186 },
  timetz: { name: 'timetz', oid: 1266 },
  decimal: { name: 'numeric', oid: 1700 },
  uuid: { name: 'uuid', oid: 2950 },
  jsonb: { name: 'jsonb', oid: 3802 },
};

/**
 * Postgres sends every value as text and the type parser turns it into a JS value. pg-mem hands back JS values
 * (Dates, numbers), so we print them the way Postgres would before running the same parser.
 */
const toPostgresText = (value: unknown, typeName: string): string => {
  const isDateType = typeName === 'date' || typeName === 'timestamp' || typeName === 'timestamptz';
  // pg-mem returns column values as Date but casts (`'2026-01-01'::date`) as ISO strings, both in UTC.
  const date = isDateType && typeof value === 'string' ? new Date(value) : value;
  if (date instanceof Date) {
    const iso = date.toISOString();
    if (typeName === 'date') return iso.slice(0, 10);
    if (typeName === 'timestamp') return iso.slice(0, -1).replace('T', ' ');
    return iso;
  }
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

type Parse = (value: string) => unknown;

const toDriverResult = (result: QueryResult, parsers: ReadonlyMap<string, Parse>): DriverQueryResult => {
  const parserFor = (field: FieldInfo) => {
    const typeName = postgresTypes[field.type]?.name;
    const parse = typeName === undefined ? undefined : parsers.get(typeName);
    return typeName === undefined || parse === undefined ? undefined : { name: field.name, typeName, parse };
  };
  const parsed = result.fields.map(parserFor).filter((column) => column !== undefined);
  return {
    command: result.command as DriverCommand,
    rowCount: result.rowCount,
    fields: result.fields.map((field) => ({
      name: field.name,
      dataTypeId: postgresTypes[field.type]?.oid ?? field.typeId,
    })),
    rows: result.rows.map((row: Record<string, unknown>) => {
      // Copy own string keys only: pg-mem rows carry internal symbols.
      const copy = Object.fromEntries(Object.entries(row));
      for (const { name, typeName, parse } of parsed) {
        const value = copy[name];
        if (value !== null && value !== undefined) copy[name] = parse(toPostgresText(value, typeName));
      }
      return copy;
    }),
  };
};

const emptyResult = (command: string): QueryResult =>
  ({ command, rowCount: 0, fields: [], rows: [], location: { start: 0, end: 0 } }) as QueryResult;

const sqlState = (code: string, message: string) => new PgMemDatabaseError(message, { code });

/**
 * One emulated Postgres session. pg-mem ignores BEGIN/ROLLBACK sent as statements and cannot parse SAVEPOINT,
 * so transactions are emulated with `db.backup()` (O(1)) and `restore()`. That is only sound because the pool
 * has a single connection: restoring puts back the whole database, not just this session's writes.
 */
const createSession = (db: IMemoryDb) => {
  type Transaction = {
    readonly start: IBackup;
    readonly savepoints: { name: string; backup: IBackup }[];
    // Postgres rejects every statement after an error until ROLLBACK (SQLSTATE 25P02); so do we.
    failed: boolean;
    // SET TRANSACTION ISOLATION LEVEL must come before the first query (SQLSTATE 25001).
    queried: boolean;
  };
  let transaction: Transaction | null = null;

  const rollback = (): QueryResult => {
    const ending = transaction;
    transaction = null;
    // Throws if the transaction ran DDL: pg-mem cannot restore a backup across schema changes.
    ending?.start.restore();
    return emptyResult('ROLLBACK');
  };

  const control = (statement: string, tx: Transaction | null): QueryResult | undefined => {
    if (/^(BEGIN|START TRANSACTION)\b/.test(statement)) {
      transaction ??= { start: db.backup(), savepoints: [], failed: false, queried: false };
      return emptyResult('BEGIN');
    }
    if (/^(COMMIT|END)( WORK| TRANSACTION)?$/.test(statement)) {
      // Committing a failed transaction rolls it back, silently, as Postgres does.
      if (tx?.failed) return rollback();
      transaction = null;
      return emptyResult('COMMIT');
    }
    if (/^(ROLLBACK|ABORT)( WORK| TRANSACTION)?$/.test(statement)) return rollback();
    const savepoint = /^SAVEPOINT (\S+)$/.exec(statement)?.[1];
    const target = /^(?:ROLLBACK(?: WORK| TRANSACTION)? TO|RELEASE)(?: SAVEPOINT)? (\S+)$/.exec(statement)?.[1];
    if ((savepoint ?? target) !== undefined && !tx) {
      throw sqlState('25P01', `${statement.split(' ')[0]} can only be used in transaction blocks`);
    }
    if (savepoint !== undefined && tx) {
      tx.savepoints.push({ name: savepoint, backup: db.backup() });
      return emptyResult('SAVEPOINT');
    }
    if (target !== undefined && tx) {
      const index = tx.savepoints.findLastIndex(({ name }) => name === target);
      const found = tx.savepoints[index];
      if (!found) throw sqlState('3B001', `savepoint "${target.toLowerCase()}" does not exist`);
      if (statement.startsWith('RELEASE')) {
        tx.savepoints.splice(index);
        return emptyResult('RELEASE');
      }
      // ROLLBACK TO keeps the savepoint itself and clears the error state.
      found.backup.restore();
      tx.savepoints.splice(index + 1);
      tx.failed = false;
      return emptyResult('ROLLBACK');
    }
    if (/^SET TRANSACTION ISOLATION LEVEL\b/.test(statement)) {
      if (tx?.queried) throw sqlState('25001', 'SET TRANSACTION ISOLATION LEVEL must be called before any query');
      return emptyResult('SET');
    }
    // Isolation, timeouts and session reset mean nothing in a single-threaded in-memory database.
    if (
      /^SET (LOCAL |SESSION )?(TRANSACTION|STATEMENT_TIMEOUT|LOCK_TIMEOUT|IDLE_IN_TRANSACTION_SESSION_TIMEOUT)\b/.test(
        statement,
      )
    ) {
      return emptyResult('SET');
    }
    if (statement === 'DISCARD ALL') return emptyResult('DISCARD');
    return undefined;
  };

  const run = (text: string): QueryResult => {
    const results = db.public.prepare(text).bind().iterate();
    const first = results.next();
    // node-postgres uses the extended protocol, where Postgres refuses several statements in one query.
    if (!results.next().done) throw sqlState('42601', 'cannot insert multiple commands into a prepared statement');
    return first.done ? emptyResult('SELECT') : first.value;
  };

  return {
    execute: (sql: string, values: readonly unknown[]): QueryResult => {
      const statement = sql.trim().replace(/;$/, '').replace(/\s+/g, ' ').toUpperCase();
      const tx = transaction;
      if (tx?.failed && !/^(ROLLBACK|ABORT|COMMIT|END)\b/.test(statement)) {
        throw sqlState('25P02', 'current transaction is aborted, commands ignored until end of transaction block');
      }
      try {
        const result = control(statement, tx);
        if (result) return result;
        if (tx) tx.queried = true;
        return run(shimForPgMem(inlineParameters(sql, values)));
      } catch (error) {
        if (tx && transaction === tx) tx.failed = true;
        throw error;
      }
    },
    // A connection closed mid-transaction rolls it back.
    end: (): void => void rollback(),
  };
};

/** A slonik driver over pg-mem, recording every SQL text it receives into `statements`. */
export const createPgMemDriverFactory = ({ db, statements }: { db: IMemoryDb; statements: string[] }): DriverFactory =>
  createDriverFactory(async ({ driverConfiguration }) => {
    const parsers = new Map(driverConfiguration.typeParsers.map((parser) => [parser.name, parser.parse]));
    return {
      createPoolClient: async () => {
        const session = createSession(db);
        const query = async (sql: string, values: readonly unknown[] = []): Promise<DriverQueryResult> => {
          statements.push(sql);
          try {
            return toDriverResult(session.execute(sql, values), parsers);
          } catch (error) {
            throw toSlonikError(error, { sql, values: values as Query['values'] });
          }
        };
        async function* streamRows(sql: string, values?: readonly unknown[]) {
          const result = await query(sql, values);
          for (const row of result.rows) yield { fields: result.fields, row };
        }
        return {
          connect: async () => undefined,
          end: async () => session.end(),
          query,
          // slonik only consumes the stream as an async iterable of `{ fields, row }`, which Readable.from gives.
          stream: (sql, values) => Readable.from(streamRows(sql, values)) as never,
        };
      },
    };
  });

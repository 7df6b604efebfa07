import {
  CheckIntegrityConstraintViolationError,
  ForeignKeyIntegrityConstraintViolationError,
  InputSyntaxError,
  InvalidInputError,
  NotNullIntegrityConstraintViolationError,
  UniqueIntegrityConstraintViolationError,
  type Query,
} from 'slonik';

/**
 * What node-postgres' `DatabaseError` carries and slonik's error classes read (`code`, `constraint`, `column`,
 * `table`, `detail`), rebuilt from a pg-mem error.
 */
export class PgMemDatabaseError extends Error {
  readonly code: string;
  readonly constraint?: string;
  readonly column?: string;
  readonly table?: string;
  readonly detail?: string;

  constructor(
    message: string,
    fields: { code: string; constraint?: string; column?: string; table?: string; detail?: string },
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = 'PgMemDatabaseError';
    this.code = fields.code;
    if (fields.constraint !== undefined) this.constraint = fields.constraint;
    if (fields.column !== undefined) this.column = fields.column;
    if (fields.table !== undefined) this.table = fields.table;
    if (fields.detail !== undefined) this.detail = fields.detail;
  }
}

type PgMemErrorData = { error?: string; details?: string; code?: string };

const quotedAfter = (text: string, keyword: string): string | undefined =>
  new RegExp(`${keyword} "([^"]+)"`).exec(text)?.[1];

/**
 * pg-mem sets a SQLSTATE only on some errors (unique violations); the rest are recognised by message. Constraint
 * names differ from Postgres' defaults (pg-mem names an unnamed foreign key `batches_sku_fk`, not `_fkey`, and an
 * unnamed check `batches_constraint_1`), so code that matches constraint names must name them in the migration.
 */
const toDatabaseError = (error: Error & { code?: unknown; data?: PgMemErrorData }): PgMemDatabaseError | Error => {
  const text = error.data?.error ?? error.message;
  const detail = error.data?.details;
  const base = detail === undefined ? {} : { detail };
  if (error.code === '23505' || text.includes('duplicate key value violates unique constraint')) {
    // pg-mem prefixes the message with the internal insert it ran; keep Postgres' wording.
    const message = text.slice(text.indexOf('duplicate key value'));
    const table = quotedAfter(text, '(?:into|update)');
    return new PgMemDatabaseError(
      message,
      { ...base, code: '23505', constraint: quotedAfter(text, 'constraint'), ...(table ? { table } : {}) },
      error,
    );
  }
  if (text.includes('violates foreign key constraint')) {
    // pg-mem's wording is `... on table "<constraint name>"`: the last quoted name is the constraint.
    const names = [...text.matchAll(/"([^"]+)"/g)].map((match) => match[1]);
    return new PgMemDatabaseError(text, { ...base, code: '23503', constraint: names.at(-1) }, error);
  }
  if (text.includes('violates not-null constraint')) {
    return new PgMemDatabaseError(text, { ...base, code: '23502', column: quotedAfter(text, 'column') }, error);
  }
  if (/check constraint "[^"]+" is violated/.test(text)) {
    return new PgMemDatabaseError(text, { ...base, code: '23514', constraint: quotedAfter(text, 'constraint') }, error);
  }
  if (text.includes('invalid input syntax')) return new PgMemDatabaseError(text, { ...base, code: '22P02' }, error);
  // Also what pg-mem says for valid SQL it cannot parse (e.g. SAVEPOINT, window functions): the message says so.
  if (text.includes('Your query failed to parse'))
    return new PgMemDatabaseError(text, { ...base, code: '42601' }, error);
  return error;
};

/** The same SQLSTATE -> slonik error mapping as `@slonik/pg-driver`'s `wrapError`, applied to pg-mem errors. */
export const toSlonikError = (thrown: unknown, query: Query): unknown => {
  if (!(thrown instanceof Error)) return thrown;
  const error = toDatabaseError(thrown);
  if (!(error instanceof PgMemDatabaseError)) return error;
  switch (error.code) {
    case '22P02':
      return new InvalidInputError(error.message);
    case '23502':
      return new NotNullIntegrityConstraintViolationError(error);
    case '23503':
      return new ForeignKeyIntegrityConstraintViolationError(error);
    case '23505':
      return new UniqueIntegrityConstraintViolationError(error);
    case '23514':
      return new CheckIntegrityConstraintViolationError(error);
    case '42601':
      return new InputSyntaxError(error, query);
    default:
      return error;
  }
};

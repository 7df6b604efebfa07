import { DomainError } from '../../core/errors.ts';

/** Quantities are stored as Postgres `integer`; anything past it is refused here, not truncated there. */
export const MAX_QUANTITY = 2 ** 31 - 1;

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const invalid = (field: string, message: string): DomainError =>
  new DomainError('InvalidInput', 'InvalidInput', message, { field });

/** SKUs and batch references: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit. */
export const isIdentifier = (value: string): boolean => IDENTIFIER.test(value);

export const identifier = (field: string, value: string): string => {
  if (!isIdentifier(value)) {
    throw invalid(field, `${field} must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`);
  }
  return value;
};

export const quantity = (field: string, value: number): number => {
  if (!Number.isInteger(value) || value <= 0 || value > MAX_QUANTITY) {
    throw invalid(field, `${field} must be a whole number from 1 to ${MAX_QUANTITY}`);
  }
  return value;
};

/** A real calendar date written YYYY-MM-DD (so 2026-02-30 is refused), or null. */
export const calendarDate = (field: string, value: string | null): string | null => {
  if (value === null) return null;
  const match = ISO_DATE.exec(value);
  const [year, month, day] = [Number(match?.[1]), Number(match?.[2]), Number(match?.[3])];
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC, which reads years 0-99 as 1900-1999. Year 0 does not exist in Postgres.
  date.setUTCFullYear(year, month - 1, day);
  if (!match || year < 1 || date.toISOString().slice(0, 10) !== value) {
    throw invalid(field, `${field} must be a calendar date written YYYY-MM-DD`);
  }
  return value;
};

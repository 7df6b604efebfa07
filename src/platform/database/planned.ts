/**
 * What a planned statement fetched for a row's fields travels on the row itself, until each field's resolver asks
 * its view for it: stored under a symbol (invisible to GraphQL's default resolvers and to JSON), keyed by the field
 * and its arguments, so a resolver called with other arguments (another alias) finds nothing and falls back to the
 * view's own query. Nothing is shared between rows or requests: a row carries only what its own page fetched.
 */
import { argumentsKey } from '../../core/selection.ts';

const PLANNED = Symbol('kingdom.planned');

type Planned = Map<string, unknown>;
const keyOf = (field: string, args: Readonly<Record<string, unknown>>) => `${field}:${argumentsKey(args)}`;

/** Records `value` as the answer to `field(args)` of `row`; returns the row. */
export const attachPlanned = <Row extends object>(
  row: Row,
  field: string,
  args: Readonly<Record<string, unknown>>,
  value: unknown,
): Row => {
  const planned = ((row as { [PLANNED]?: Planned })[PLANNED] ??= new Map());
  planned.set(keyOf(field, args), value);
  return row;
};

/** The planned answer to `field(args)` of `row`, or undefined when none was planned for exactly these arguments. */
export const plannedAnswer = <T>(row: object, field: string, args: Readonly<Record<string, unknown>>): T | undefined =>
  (row as { [PLANNED]?: Planned })[PLANNED]?.get(keyOf(field, args)) as T | undefined;

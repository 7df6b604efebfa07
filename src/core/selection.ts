/**
 * What a client asked for beneath a field, as plain data: each field it selected, by name (aliases merged), with
 * the arguments of each time it was selected and what was selected beneath that. A resolver derives it from
 * GraphQL's `info` (src/platform/graphql/selection.ts) and hands it to its view, which may then fetch nested
 * connections and computed fields in the same SQL statement as the page (docs/how-to/plan-a-page.md). Services and
 * domain code never see GraphQL types: only this.
 */
export type Selection = Readonly<Record<string, readonly SelectedField[]>>;

export type SelectedField = {
  readonly arguments: Readonly<Record<string, unknown>>;
  readonly selection: Selection;
};

export const NOTHING_SELECTED: Selection = Object.freeze(Object.create(null) as Selection);

const own = (selection: Selection, field: string): readonly SelectedField[] =>
  Object.hasOwn(selection, field) ? (selection[field] ?? []) : [];

/** Every selection of the field at the end of `path` (through every alias of each field on the way). */
export const selectionsAt = (selection: Selection, path: readonly string[]): readonly SelectedField[] => {
  let current: readonly SelectedField[] = [{ arguments: {}, selection }];
  for (const field of path) current = current.flatMap((each) => own(each.selection, field));
  return current;
};

/** True when the client asked for the field at the end of `path`. */
export const isSelected = (selection: Selection, path: readonly string[]): boolean =>
  selectionsAt(selection, path).length > 0;

/** What was selected beneath the field at `path`, its selections merged. */
export const mergedAt = (selection: Selection, path: readonly string[]): Selection => {
  const merged = Object.create(null) as Record<string, SelectedField[]>;
  for (const each of selectionsAt(selection, path)) {
    for (const [field, selected] of Object.entries(each.selection)) (merged[field] ??= []).push(...selected);
  }
  return merged;
};

/** The nodes of a Relay connection (`edges { node { ... } }`). */
export const connectionNodes = (selection: Selection): Selection => mergedAt(selection, ['edges', 'node']);

/**
 * A canonical text for a field's arguments (keys sorted, absent and null alike), so the arguments a view planned
 * for and those its resolver is later called with compare equal.
 */
export const argumentsKey = (args: Readonly<Record<string, unknown>>): string =>
  JSON.stringify(
    Object.keys(args)
      .filter((key) => args[key] !== undefined && args[key] !== null)
      .sort()
      .map((key) => [key, args[key]]),
  );

/** The arguments every selection of a field shares, or null when aliases ask for it with different ones. */
export const sharedArguments = (selections: readonly SelectedField[]): Readonly<Record<string, unknown>> | null => {
  const [first, ...rest] = selections;
  if (!first) return null;
  const key = argumentsKey(first.arguments);
  return rest.every((each) => argumentsKey(each.arguments) === key) ? first.arguments : null;
};

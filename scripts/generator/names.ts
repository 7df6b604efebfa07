/**
 * Names the generators derive from what the user typed, and the checks on what they typed. Everything here is
 * pure: whether a name is taken is asked of the repository elsewhere (workspace.ts).
 */

export class GeneratorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GeneratorError';
  }
}

/**
 * Folders of src/ that are not bounded contexts, root files (src/contexts.ts imports each context's module under the
 * context's name, next to its own `contexts`), and names that would read as something else.
 */
const RESERVED_CONTEXTS = new Set([
  'core',
  'platform',
  'generated',
  'contexts',
  'bootstrap',
  'app',
  'main',
  'worker',
  'lambda',
  'seed',
  'test',
  'tests',
  'node',
  'src',
  'schema',
  'scripts',
]);
/** Words that cannot be a binding or a property shorthand in generated code. */
const JS_RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await arguments eval'
  ).split(' '),
);

const CONTEXT_NAME = /^[a-z][a-z0-9]{1,30}$/;
const PASCAL_NAME = /^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)*$/;

export const checkContextName = (name: string | undefined): string => {
  if (!name) throw new GeneratorError('missing the context name: npm run generate -- context <name>');
  if (!CONTEXT_NAME.test(name)) {
    throw new GeneratorError(
      `"${name}" is not a valid context name: 2-31 characters, a lower-case letter, then lower-case letters or digits (e.g. shipping)`,
    );
  }
  if (RESERVED_CONTEXTS.has(name) || JS_RESERVED.has(name)) {
    throw new GeneratorError(`"${name}" is a reserved name and cannot be a context`);
  }
  return name;
};

/** PascalCase, words of a capital and lower-case letters or digits: `DispatchShipment`, not `DISPATCH` or `Dispatch_It`. */
export const checkPascalName = (name: string | undefined, what: string): string => {
  if (!name) throw new GeneratorError(`missing the ${what} name`);
  if (!PASCAL_NAME.test(name) || name.length > 40) {
    throw new GeneratorError(
      `"${name}" is not a valid ${what} name: PascalCase, letters and digits (e.g. DispatchShipment)`,
    );
  }
  return name;
};

export const words = (pascal: string): string[] => pascal.match(/[A-Z][a-z0-9]*/g) ?? [pascal];
export const pascal = (lower: string): string => lower.charAt(0).toUpperCase() + lower.slice(1);
export const camel = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);
export const kebab = (name: string): string =>
  words(name)
    .map((word) => word.toLowerCase())
    .join('-');
export const snake = (name: string): string =>
  words(name)
    .map((word) => word.toLowerCase())
    .join('_');
export const upperSnake = (name: string): string => snake(name).toUpperCase();
/** For sentences: `PurchaseOrder` -> `purchase order`. */
export const spoken = (name: string): string =>
  words(name)
    .map((word) => word.toLowerCase())
    .join(' ');

/** English plural of the last word, good for table and collection names: Shipment -> Shipments, Box -> Boxes. */
export const plural = (name: string): string => {
  if (/[^aeiou]y$/.test(name)) return `${name.slice(0, -1)}ies`;
  if (/(?:s|x|z|ch|sh)$/.test(name)) return `${name}es`;
  return `${name}s`;
};

/** English singular of a plural noun, by the usual rules: orders -> order, boxes -> box, parties -> party. */
export const singular = (name: string): string => {
  if (/ies$/.test(name)) return `${name.slice(0, -3)}y`;
  if (/(?:ss|x|z|ch|sh)es$/.test(name)) return name.slice(0, -2);
  if (/(?:ss|us|is)$/.test(name)) return name;
  return name.replace(/s$/, '');
};

/** The aggregate a context is about when none is named: `orders` -> Order, `shipping` -> Shipping. */
export const defaultAggregate = (context: string): string => pascal(singular(context));

/** A name generated code would use as a binding (a variable or function): not a JavaScript reserved word. */
export const checkBinding = (name: string, what: string): string => {
  if (JS_RESERVED.has(name)) throw new GeneratorError(`${what} would make \`${name}\`, a reserved word in JavaScript`);
  return name;
};

const IRREGULAR_PAST: Readonly<Record<string, string>> = {
  Buy: 'Bought',
  Build: 'Built',
  Get: 'Got',
  Give: 'Given',
  Hold: 'Held',
  Make: 'Made',
  Pay: 'Paid',
  Put: 'Put',
  Run: 'Run',
  Sell: 'Sold',
  Send: 'Sent',
  Set: 'Set',
  Split: 'Split',
  Take: 'Taken',
  Write: 'Written',
  Lay: 'Laid',
  Begin: 'Begun',
  Reset: 'Reset',
  Resend: 'Resent',
  Rebuild: 'Rebuilt',
  Withdraw: 'Withdrawn',
  // Stressed last syllables double their consonant too.
  Submit: 'Submitted',
  Commit: 'Committed',
  Admit: 'Admitted',
  Permit: 'Permitted',
  Omit: 'Omitted',
  Emit: 'Emitted',
  Transfer: 'Transferred',
  Refer: 'Referred',
  Prefer: 'Preferred',
  Control: 'Controlled',
  Occur: 'Occurred',
};

/** The past tense of an English verb, by the usual rules (Ship -> Shipped, Cancel -> Canceled, Copy -> Copied). */
export const pastTense = (verb: string): string => {
  const irregular = IRREGULAR_PAST[verb];
  if (irregular) return irregular;
  if (verb.endsWith('e')) return `${verb}d`;
  if (/[^aeiou]y$/.test(verb)) return `${verb.slice(0, -1)}ied`;
  // One syllable ending consonant-vowel-consonant doubles its last letter (Ship, Stop, Plan), except w, x, y.
  const syllables = verb.toLowerCase().match(/[aeiouy]+/g)?.length ?? 0;
  if (syllables === 1 && /[^aeiou][aeiou][^aeiouwxy]$/i.test(verb)) return `${verb}${verb.slice(-1)}ed`;
  return `${verb}ed`;
};

/**
 * The event a command raises: its object and its verb in the past tense (DispatchShipment -> ShipmentDispatched,
 * ChangeAddress -> AddressChanged); a bare verb is about the aggregate (Archive -> ShipmentArchived).
 */
export const eventOf = (command: string, aggregate: string): string => {
  const [verb = command, ...rest] = words(command);
  return `${rest.length > 0 ? rest.join('') : aggregate}${pastTense(verb)}`;
};

/** Everything a context's files are named after. */
export type ContextNames = {
  /** `shipping`: the folder, the SDL file, the views key. */
  readonly context: string;
  /** `Shipping`: type prefixes (ShippingViews, ShippingCommand). */
  readonly Context: string;
  /** `Shipment`: the aggregate and its GraphQL type. */
  readonly Aggregate: string;
  /** `shipment`: its variables, query field and module file (kebab-case: `purchase-order`). */
  readonly aggregate: string;
  readonly file: string;
  /** `shipments`: the repository in the unit of work. */
  readonly aggregates: string;
  /** `shipment` / `purchase order`, `shipments` / `purchase orders`: in sentences. */
  readonly spoken: string;
  readonly spokenPlural: string;
  /** `shipments`: the table. */
  readonly table: string;
  /** `SHIPMENT`: the authorization resource. */
  readonly resource: string;
};

export const contextNames = (context: string, Aggregate: string): ContextNames => ({
  context,
  Context: pascal(context),
  Aggregate,
  aggregate: camel(Aggregate),
  file: kebab(Aggregate),
  aggregates: camel(plural(Aggregate)),
  spoken: spoken(Aggregate),
  spokenPlural: spoken(plural(Aggregate)),
  table: snake(plural(Aggregate)),
  resource: upperSnake(Aggregate),
});

/** A command added to a generated context. */
export type CommandNames = {
  /** `DispatchShipment`: the command type. */
  readonly Command: string;
  /** `dispatchShipment`: the mutation, the handler and the domain function. */
  readonly command: string;
  /** `dispatch-shipment`: test file names. */
  readonly file: string;
  /** `ShipmentDispatched`: the event it raises. */
  readonly Event: string;
};

export const commandNames = (Command: string, Event: string): CommandNames => ({
  Command,
  command: camel(Command),
  file: kebab(Command),
  Event,
});

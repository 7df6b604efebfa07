/**
 * The inner layers of a generated context: domain (pure: commands, events, errors, the aggregate) and services
 * (ports, views, handlers). `n` is the context's names (ContextNames): `n.Aggregate` = Shipment, and so on.
 */
import type { ContextNames } from '../names.ts';

export const REFERENCE_PATTERN = '/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/';
export const REFERENCE_RULE = "1-64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit";

export const domainCommands = (n: ContextNames): string => `/**
 * Orders the ${n.context} context accepts: plain readonly data, named as orders, one handler each
 * (services/handlers.ts). \`npm run generate -- command ${n.context} <Name>\` adds one above the anchor below.
 */
export type Create${n.Aggregate} = {
  readonly type: 'Create${n.Aggregate}';
  readonly reference: string;
  /** The caller, who will own the ${n.spoken}; null only for a caller without an account (@auth lets none through). */
  readonly ownerId: string | null;
};

// generate: commands of ${n.Aggregate}

export type ${n.Context}Command = Create${n.Aggregate};
`;

export const domainEvents = (
  n: ContextNames,
): string => `/** What happened in the ${n.context} context, in the past tense; raised by the ${n.Aggregate} aggregate. */
export type ${n.Aggregate}Created = { readonly type: '${n.Aggregate}Created'; readonly reference: string };

// generate: events

export type ${n.Context}Event = ${n.Aggregate}Created;
`;

export const domainErrors = (n: ContextNames): string => `import { DomainError } from '../../core/errors.ts';

/** The ${n.context} failures a caller sees. Factories, not constants, so each throw gets its own stack. */
export const invalid${n.Aggregate}Reference = (field = 'input.reference'): DomainError =>
  new DomainError(
    'InvalidInput',
    'Invalid${n.Aggregate}Reference',
    "A ${n.spoken} reference is ${REFERENCE_RULE}",
    { field },
  );

export const ${n.aggregate}Exists = (reference: string): DomainError =>
  new DomainError('InvalidInput', '${n.Aggregate}Exists', \`${n.Aggregate} \${reference} already exists\`, {
    field: 'input.reference',
  });

/** Also what @auth answers a caller who may not even read the ${n.spoken}: "hidden" and "missing" look the same. */
export const ${n.aggregate}NotFound = (reference: string, field = 'input.reference'): DomainError =>
  new DomainError('NotFound', '${n.Aggregate}NotFound', \`There is no ${n.spoken} \${reference}\`, { field });
`;

export const domainAggregate = (
  n: ContextNames,
): string => `import { invalid${n.Aggregate}Reference } from './errors.ts';
import type { ${n.Context}Event } from './events.ts';

/** A ${n.spoken}'s identity, and the instance key of ${n.resource} policies (declared in module.ts). */
const REFERENCE = ${REFERENCE_PATTERN};

export const is${n.Aggregate}Reference = (value: string): boolean => REFERENCE.test(value);

/**
 * The ${n.Aggregate} aggregate. \`version\` is the one it was loaded at (0 when new): the repository saves it only
 * over that version and bumps it by one (optimistic concurrency). Changes are pure functions that return the
 * changed ${n.spoken} with the events they raised; they never touch infrastructure.
 */
export type ${n.Aggregate} = {
  readonly reference: string;
  /** Who created it (what ${n.resource}'s OWNER selector means); null once their account is gone. */
  readonly ownerId: string | null;
  readonly createdAt: Date;
  readonly version: number;
  readonly events: readonly ${n.Context}Event[];
};

export const ${n.aggregate}Reference = (value: string): string => {
  if (!is${n.Aggregate}Reference(value)) throw invalid${n.Aggregate}Reference();
  return value;
};

export const create${n.Aggregate} = (input: {
  readonly reference: string;
  readonly ownerId: string | null;
  readonly createdAt: Date;
}): ${n.Aggregate} => {
  const reference = ${n.aggregate}Reference(input.reference);
  return {
    reference,
    ownerId: input.ownerId,
    createdAt: input.createdAt,
    version: 0,
    events: [{ type: '${n.Aggregate}Created', reference }],
  };
};
`;

export const servicesPorts = (n: ContextNames): string => `import type { Clock, UnitOfWork } from '../../core/ports.ts';
import type { ${n.Aggregate} } from '../domain/${n.file}.ts';

/**
 * ${n.Aggregate}s inside the current unit of work. \`save\` inserts a new one (version 0) or writes a loaded one over
 * the version it was loaded at, bumping it; a stale version, or a reference taken meanwhile, is a
 * ConcurrentUpdateError (the unit of work runs the handler again, whose own checks then report what happened).
 * It hands the ${n.spoken}'s events to the unit of work.
 */
export type ${n.Aggregate}Repository = {
  get(reference: string): Promise<${n.Aggregate} | null>;
  save(${n.aggregate}: ${n.Aggregate}): Promise<void>;
};

export type ${n.Context}Repositories = { readonly ${n.aggregates}: ${n.Aggregate}Repository };

/** What every ${n.context} handler may use, given by the context's module (module.ts) for each message. */
export type ${n.Context}Dependencies = {
  readonly uow: UnitOfWork<${n.Context}Repositories>;
  readonly clock: Clock;
};
`;

export const servicesViews = (
  n: ContextNames,
): string => `/** Read side of ${n.context}: what resolvers receive for \`${n.Aggregate}\` (codegen mapper). */
export type ${n.Aggregate}View = {
  readonly reference: string;
  readonly version: number;
  readonly createdAt: Date;
};

/** Who owns a ${n.spoken}: its creator (null once their account is gone). */
export type ${n.Aggregate}Owner = { readonly ownerId: string | null };

/**
 * The ${n.context} views of one request, made for the caller's read scope (module.ts): what they show is only what the
 * caller may READ, filtered in SQL, so no resolver can leak a ${n.spoken} by forgetting a check. A list would take
 * the same scope and count and page only the rows in it.
 */
export type ${n.Context}Views = {
  /** Null when there is none, or the caller may not read it. */
  ${n.aggregate}ByReference(reference: string): Promise<${n.Aggregate}View | null>;
  /** Unscoped, for @auth only: deciding whether the caller may act comes before showing anything. */
  ${n.aggregate}Owner(reference: string): Promise<${n.Aggregate}Owner | null>;
};
`;

export const servicesHandlers = (n: ContextNames): string => `import type * as commands from '../domain/commands.ts';
import * as errors from '../domain/errors.ts';
import * as model from '../domain/${n.file}.ts';
import type { ${n.Context}Dependencies } from './ports.ts';

// READ COMMITTED is enough: every write is guarded by the database itself. A save checks the version it loaded,
// and the reference is the primary key; the loser of a race fails its statement, the unit of work runs the
// handler again, and the retry decides on what won. Declare SERIALIZABLE for a rule that reads several rows.

/** What a command answers: the ${n.spoken} it wrote (resolvers read it back through the views). */
export type ${n.Aggregate}Result = { readonly reference: string };

export const create${n.Aggregate} = async (
  command: commands.Create${n.Aggregate},
  { uow, clock }: ${n.Context}Dependencies,
): Promise<${n.Aggregate}Result> => {
  // Checked before the transaction: bad input is reported whether or not the reference is taken.
  const ${n.aggregate} = model.create${n.Aggregate}({ reference: command.reference, ownerId: command.ownerId, createdAt: clock.now() });
  return uow.transaction('READ COMMITTED', async ({ ${n.aggregates} }) => {
    if (await ${n.aggregates}.get(${n.aggregate}.reference)) throw errors.${n.aggregate}Exists(${n.aggregate}.reference);
    await ${n.aggregates}.save(${n.aggregate});
    return { reference: ${n.aggregate}.reference };
  });
};

// generate: handlers

export const ${n.context}CommandHandlers = {
  Create${n.Aggregate}: create${n.Aggregate},
  // generate: command handlers
};

/** In-process subscribers to this context's events, by event type (none yet). */
export const ${n.context}EventHandlers = {};
`;

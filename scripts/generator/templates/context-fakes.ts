/**
 * The test doubles of a generated context (tests/fakes/<context>/): its unit of work in memory, and its handlers
 * bound to it as the module binds them.
 */
import type { ContextNames } from '../names.ts';

const NOW = "new Date('2026-01-02T03:04:05.000Z')";

export const fakeUnitOfWork = (
  n: ContextNames,
): string => `import { ConcurrentUpdateError } from '../../../src/core/errors.ts';
import type { DomainEvent } from '../../../src/core/messages.ts';
import type { UnitOfWork } from '../../../src/core/ports.ts';
import { withTransactionRetries } from '../../../src/platform/database/retry.ts';
import type { ${n.Aggregate} } from '../../../src/${n.context}/domain/${n.file}.ts';
import type { ${n.Context}Repositories } from '../../../src/${n.context}/services/ports.ts';

/** A ${n.spoken} as stored: what the repository loads (no pending events). */
export type Stored${n.Aggregate} = Omit<${n.Aggregate}, 'events'>;
type Stored = Map<string, Stored${n.Aggregate}>;

export type Fake${n.Context}UnitOfWork = UnitOfWork<${n.Context}Repositories> & {
  /** The committed ${n.spokenPlural}, by reference. */
  readonly ${n.aggregates}: () => ReadonlyMap<string, Stored${n.Aggregate}>;
  /** Transaction attempts started, retries included. */
  readonly attempts: () => number;
  seed(...stored: Stored${n.Aggregate}[]): Fake${n.Context}UnitOfWork;
  /** Runs \`change\` on the committed state at the start of the next save: another transaction winning a race. */
  beforeNextSave(change: (stored: Stored) => void): Fake${n.Context}UnitOfWork;
};

/**
 * The ${n.context} unit of work in memory, keeping the slonik one's promises: a transaction commits only when its
 * work resolves; a save over a stale version (or a reference taken meanwhile) throws ConcurrentUpdateError and the
 * work runs again from the start; events reach \`collectNewEvents\` only once their transaction commits.
 */
export const createFake${n.Context}UnitOfWork = (): Fake${n.Context}UnitOfWork => {
  let committed: Stored = new Map();
  const events: DomainEvent[] = [];
  const hooks: Array<(stored: Stored) => void> = [];
  let attempts = 0;

  const repositories = (draft: Stored, pending: DomainEvent[]): ${n.Context}Repositories => ({
    ${n.aggregates}: {
      get: async (reference) => {
        const stored = draft.get(reference);
        return stored ? { ...stored, events: [] } : null;
      },
      save: async ({ events: raised, ...${n.aggregate} }) => {
        const change = hooks.shift();
        change?.(committed);
        change?.(draft);
        if ((draft.get(${n.aggregate}.reference)?.version ?? 0) !== ${n.aggregate}.version) {
          throw new ConcurrentUpdateError(\`${n.Aggregate} \${${n.aggregate}.reference}\`);
        }
        draft.set(${n.aggregate}.reference, { ...${n.aggregate}, version: ${n.aggregate}.version + 1 });
        pending.push(...raised);
      },
    },
  });

  const unitOfWork: Fake${n.Context}UnitOfWork = {
    async transaction(_isolation, work) {
      return withTransactionRetries({ maxAttempts: 3, baseDelayMs: 0 }, async () => {
        attempts += 1;
        const draft: Stored = new Map(committed);
        const pending: DomainEvent[] = [];
        const result = await work(repositories(draft, pending));
        committed = draft;
        events.push(...pending);
        return result;
      });
    },
    collectNewEvents: () => events.splice(0),
    ${n.aggregates}: () => committed,
    attempts: () => attempts,
    seed(...stored) {
      for (const ${n.aggregate} of stored) committed.set(${n.aggregate}.reference, ${n.aggregate});
      return unitOfWork;
    },
    beforeNextSave(change) {
      hooks.push(change);
      return unitOfWork;
    },
  };
  return unitOfWork;
};
`;

export const fakeApplication = (
  n: ContextNames,
): string => `import { bindCommandHandlers, type Outcome } from '../../../src/core/bus.ts';
import { DomainError } from '../../../src/core/errors.ts';
import type { ${n.Context}Command } from '../../../src/${n.context}/domain/commands.ts';
import { ${n.context}CommandHandlers } from '../../../src/${n.context}/services/handlers.ts';
import type { ${n.Context}Dependencies } from '../../../src/${n.context}/services/ports.ts';
import { createFake${n.Context}UnitOfWork, type Fake${n.Context}UnitOfWork } from './fake-${n.context}-unit-of-work.ts';

/** What the handlers' clock says. */
export const NOW = ${NOW};

/** The ${n.context} handlers bound to a fake unit of work, as its module binds them: each answers an Outcome. */
export const ${n.context}Application = (uow: Fake${n.Context}UnitOfWork = createFake${n.Context}UnitOfWork()) => {
  const routes = bindCommandHandlers(${n.context}CommandHandlers, (): ${n.Context}Dependencies => ({ uow, clock: { now: () => NOW } }));
  const run = (command: ${n.Context}Command): Promise<Outcome<unknown>> =>
    (routes[command.type] as (message: ${n.Context}Command) => Promise<Outcome<unknown>>)(command);
  return { uow, run };
};

/** The DomainError an outcome failed with. */
export const failure = (outcome: Outcome<unknown>): DomainError => {
  if (outcome.ok || !(outcome.error instanceof DomainError)) throw new Error(\`expected a DomainError, got \${JSON.stringify(outcome)}\`);
  return outcome.error;
};
`;

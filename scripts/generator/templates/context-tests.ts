/**
 * The tests of a generated context, one per level: the domain and the handlers with a fake unit of work (unit),
 * the slonik repository and views on pg-mem (integration), the fields over HTTP on real Postgres (e2e).
 */
import type { ContextNames } from '../names.ts';

const NOW = "new Date('2026-01-02T03:04:05.000Z')";
const OWNER_ID = "'5d9f0a52-8a0e-4d3b-9d5c-1f2e3a4b5c6d'";

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

/** The ${n.context} handlers bound to a fake unit of work, as the composition root binds them: each answers an Outcome. */
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

export const unitDomain = (
  n: ContextNames,
): string => `import { create${n.Aggregate} } from '../../../src/${n.context}/domain/${n.file}.ts';
import { domainErrorOf } from '../../support/domain-assertions.ts';

const NOW = ${NOW};
const OWNER_ID = ${OWNER_ID};

describe('a new ${n.spoken} (create${n.Aggregate})', () => {
  it('is new (version 0), belongs to its creator and raises ${n.Aggregate}Created', () => {
    expect(create${n.Aggregate}({ reference: 'ref-1', ownerId: OWNER_ID, createdAt: NOW })).toEqual({
      reference: 'ref-1',
      ownerId: OWNER_ID,
      createdAt: NOW,
      version: 0,
      events: [{ type: '${n.Aggregate}Created', reference: 'ref-1' }],
    });
  });

  it.each(['', ' ref', 'ref 1', '-ref', 'x'.repeat(65)])('refuses the reference %j as InvalidInput on input.reference', (reference) => {
    expect(domainErrorOf(() => create${n.Aggregate}({ reference, ownerId: null, createdAt: NOW }))).toMatchObject({
      category: 'InvalidInput',
      name: 'Invalid${n.Aggregate}Reference',
      details: { field: 'input.reference' },
    });
  });
});
`;

export const unitHandlers = (
  n: ContextNames,
): string => `import { failure, NOW, ${n.context}Application } from '../../fakes/${n.context}/${n.context}-application.ts';

const OWNER_ID = ${OWNER_ID};
const STORED = { reference: 'ref-1', ownerId: null, createdAt: NOW, version: 1 };

describe('creating a ${n.spoken} (Create${n.Aggregate})', () => {
  it('stores it at version 1, owned by the caller, and commits ${n.Aggregate}Created', async () => {
    const { uow, run } = ${n.context}Application();

    const outcome = await run({ type: 'Create${n.Aggregate}', reference: 'ref-1', ownerId: OWNER_ID });

    expect(outcome).toEqual({ ok: true, result: { reference: 'ref-1' }, events: [{ type: '${n.Aggregate}Created', reference: 'ref-1' }] });
    expect(uow.${n.aggregates}().get('ref-1')).toEqual({ ...STORED, ownerId: OWNER_ID });
  });

  it('refuses a malformed reference before opening a transaction', async () => {
    const { uow, run } = ${n.context}Application();

    const error = failure(await run({ type: 'Create${n.Aggregate}', reference: 'not valid', ownerId: null }));

    expect(error).toMatchObject({ category: 'InvalidInput', details: { field: 'input.reference' } });
    expect(uow.attempts()).toBe(0);
  });

  it('refuses a taken reference as ${n.Aggregate}Exists, changing nothing', async () => {
    const { uow, run } = ${n.context}Application();
    uow.seed(STORED);

    const outcome = await run({ type: 'Create${n.Aggregate}', reference: 'ref-1', ownerId: OWNER_ID });

    expect(failure(outcome)).toMatchObject({ category: 'InvalidInput', name: '${n.Aggregate}Exists' });
    expect(outcome.events).toEqual([]);
    expect(uow.${n.aggregates}().get('ref-1')).toEqual(STORED);
  });

  it('reports ${n.Aggregate}Exists when another request takes the reference between the check and the save', async () => {
    const { uow, run } = ${n.context}Application();
    uow.beforeNextSave((stored) => stored.set('ref-1', STORED));

    const outcome = await run({ type: 'Create${n.Aggregate}', reference: 'ref-1', ownerId: OWNER_ID });

    expect(failure(outcome).name).toBe('${n.Aggregate}Exists');
    expect(uow.attempts()).toBe(2);
    expect(uow.${n.aggregates}().get('ref-1')).toEqual(STORED);
  });
});
`;

export const integration = (
  n: ContextNames,
): string => `import { ConcurrentUpdateError } from '../../../src/core/errors.ts';
import { create${n.Aggregate}Repository } from '../../../src/${n.context}/adapters/slonik-${n.file}-repository.ts';
import { create${n.Context}Views } from '../../../src/${n.context}/adapters/slonik-${n.context}-views.ts';
import { create${n.Aggregate}, type ${n.Aggregate} } from '../../../src/${n.context}/domain/${n.file}.ts';
import type { ${n.Aggregate}Repository } from '../../../src/${n.context}/services/ports.ts';
import { useRepositoryHarness } from '../../support/repository-harness.ts';

const harness = useRepositoryHarness(create${n.Aggregate}Repository);
const { inTransaction } = harness;

const NOW = ${NOW};
const fresh = (reference: string): ${n.Aggregate} => create${n.Aggregate}({ reference, ownerId: null, createdAt: NOW });
const loadWith = async (${n.aggregates}: ${n.Aggregate}Repository, reference: string): Promise<${n.Aggregate}> => {
  const found = await ${n.aggregates}.get(reference);
  if (!found) throw new Error(\`${n.spoken} \${reference} was not saved\`);
  return found;
};
const load = (reference: string): Promise<${n.Aggregate}> => inTransaction((${n.aggregates}) => loadWith(${n.aggregates}, reference));

describe('the slonik ${n.spoken} repository', () => {
  it('inserts a new ${n.spoken} at version 1, hands over its events and loads it back without them', async () => {
    await inTransaction((${n.aggregates}) => ${n.aggregates}.save(fresh('ref-1')));

    expect(harness.recorded).toEqual([{ type: '${n.Aggregate}Created', reference: 'ref-1' }]);
    expect(await load('ref-1')).toEqual({ reference: 'ref-1', ownerId: null, createdAt: NOW, version: 1, events: [] });
    expect(await inTransaction((${n.aggregates}) => ${n.aggregates}.get('nobody'))).toBeNull();
  });

  it('bumps the version by one with every save of a loaded ${n.spoken}', async () => {
    await inTransaction((${n.aggregates}) => ${n.aggregates}.save(fresh('ref-1')));

    await inTransaction(async (${n.aggregates}) => ${n.aggregates}.save(await loadWith(${n.aggregates}, 'ref-1')));

    expect((await load('ref-1')).version).toBe(2);
  });

  it('refuses a save over a stale version with ConcurrentUpdateError, keeping the newer one', async () => {
    await inTransaction((${n.aggregates}) => ${n.aggregates}.save(fresh('ref-1')));
    const stale = await load('ref-1');
    await inTransaction((${n.aggregates}) => ${n.aggregates}.save(stale));

    await expect(inTransaction((${n.aggregates}) => ${n.aggregates}.save(stale))).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect((await load('ref-1')).version).toBe(2);
  });

  it('refuses a new ${n.spoken} whose reference is taken with ConcurrentUpdateError (the handler then reports it)', async () => {
    await inTransaction((${n.aggregates}) => ${n.aggregates}.save(fresh('ref-1')));

    await expect(inTransaction((${n.aggregates}) => ${n.aggregates}.save(fresh('ref-1')))).rejects.toBeInstanceOf(ConcurrentUpdateError);
  });
});

describe('the ${n.context} views', () => {
  it('look a ${n.spoken} and its owner up by reference, and answer null for a reference nobody has', async () => {
    await inTransaction((${n.aggregates}) => ${n.aggregates}.save(fresh('ref-1')));
    const views = create${n.Context}Views(harness.database.pool);

    expect(await views.${n.aggregate}ByReference('ref-1')).toEqual({ reference: 'ref-1', version: 1, createdAt: NOW });
    expect(await views.${n.aggregate}Owner('ref-1')).toEqual({ ownerId: null });
    expect(await views.${n.aggregate}ByReference('nobody')).toBeNull();
    expect(await views.${n.aggregate}Owner('nobody')).toBeNull();
  });
});
`;

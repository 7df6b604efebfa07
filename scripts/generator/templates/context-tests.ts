/**
 * The unit and integration tests of a generated context: the domain and the handlers with a fake unit of work
 * (unit), the slonik repository and the scoped views on pg-mem (integration). The e2e tests are context-e2e.ts's.
 */
import type { ContextNames } from '../names.ts';

const NOW = "new Date('2026-01-02T03:04:05.000Z')";
const OWNER_ID = "'5d9f0a52-8a0e-4d3b-9d5c-1f2e3a4b5c6d'";

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
): string => `import { EVERYTHING, type Scope } from '../../../src/core/access.ts';
import { ConcurrentUpdateError } from '../../../src/core/errors.ts';
import { create${n.Aggregate}Repository } from '../../../src/${n.context}/adapters/slonik-${n.file}-repository.ts';
import { create${n.Context}Views } from '../../../src/${n.context}/adapters/slonik-${n.context}-views.ts';
import { create${n.Aggregate}, type ${n.Aggregate} } from '../../../src/${n.context}/domain/${n.file}.ts';
import type { ${n.Aggregate}Repository } from '../../../src/${n.context}/services/ports.ts';
import { useRepositoryHarness } from '../../support/repository-harness.ts';
import { fixedScope, keysScope, NOTHING } from '../../support/scopes.ts';

const harness = useRepositoryHarness(create${n.Aggregate}Repository);
const { inTransaction } = harness;

const NOW = ${NOW};
const OWNER_ID = ${OWNER_ID};
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
  const views = (scope: Scope) => create${n.Context}Views(harness.database.pool, fixedScope(scope));
  beforeEach(async () => {
    await inTransaction(async (${n.aggregates}) => {
      await ${n.aggregates}.save(fresh('ref-1'));
      await ${n.aggregates}.save(fresh('ref-2'));
    });
  });

  it('look a ${n.spoken} up by reference for a caller who may read every one, and answer null for one nobody has', async () => {
    expect(await views(EVERYTHING).${n.aggregate}ByReference('ref-1')).toEqual({ reference: 'ref-1', version: 1, createdAt: NOW });
    expect(await views(EVERYTHING).${n.aggregate}ByReference('nobody')).toBeNull();
  });

  it("show only the ${n.spokenPlural} in the caller's read scope of ${n.resource}", async () => {
    const scoped = fixedScope(keysScope(['ref-1']));
    const named = create${n.Context}Views(harness.database.pool, scoped);

    expect(await named.${n.aggregate}ByReference('ref-1')).toMatchObject({ reference: 'ref-1' });
    expect(await named.${n.aggregate}ByReference('ref-2')).toBeNull();
    expect(scoped.asked).toEqual(['${n.resource}', '${n.resource}']);
    expect(await views(NOTHING).${n.aggregate}ByReference('ref-1')).toBeNull();
    // OWNER: the caller's own ${n.spokenPlural}; these have no owner, so nobody's OWNER selector shows them.
    expect(await views(keysScope([], OWNER_ID)).${n.aggregate}ByReference('ref-1')).toBeNull();
  });

  it('tell @auth who owns a ${n.spoken} whatever the scope (deciding comes before showing), null for one nobody has', async () => {
    expect(await views(NOTHING).${n.aggregate}Owner('ref-1')).toEqual({ ownerId: null });
    expect(await views(NOTHING).${n.aggregate}Owner('nobody')).toBeNull();
  });
});
`;

/**
 * What `generate command <context> <Name>` adds: the command, its event, the domain change, the handler, the
 * mutation (SDL, resolver, payload) and its tests. `n` names the context, `c` the command.
 */
import type { CommandNames, ContextNames } from '../names.ts';

export const commandType = (
  n: ContextNames,
  c: CommandNames,
): string => `/** Handled by \`${c.command}\` (services/handlers.ts); names its ${n.spoken} by reference. */
export type ${c.Command} = { readonly type: '${c.Command}'; readonly reference: string };
`;

export const eventType = (c: CommandNames): string => `/** Raised by ${c.Command}. */
export type ${c.Event} = { readonly type: '${c.Event}'; readonly reference: string };
`;

/** One more event that feeds the aggregate's subscription (entrypoints/subscriptions.ts). */
export const feedEntry = (c: CommandNames): string => `${c.Event}: changed,\n`;

/** Appended to the aggregate's module. */
export const domainChange = (n: ContextNames, c: CommandNames): string => `
/**
 * ${c.Command}: raises ${c.Event}. The rules it checks and the state it changes belong here, in the pure
 * model; the repository saves whatever this returns, one version up.
 */
export const ${c.command} = (${n.aggregate}: ${n.Aggregate}): ${n.Aggregate} => ({
  ...${n.aggregate},
  events: [...${n.aggregate}.events, { type: '${c.Event}', reference: ${n.aggregate}.reference }],
});
`;

export const handler = (n: ContextNames, c: CommandNames): string => `export const ${c.command} = async (
  command: commands.${c.Command},
  { uow }: ${n.Context}Dependencies,
): Promise<${n.Aggregate}Result> =>
  uow.transaction('READ COMMITTED', async ({ ${n.aggregates} }) => {
    const ${n.aggregate} = await ${n.aggregates}.get(command.reference);
    if (!${n.aggregate}) throw errors.${n.aggregate}NotFound(command.reference);
    await ${n.aggregates}.save(model.${c.command}(${n.aggregate}));
    return { reference: ${n.aggregate}.reference };
  });
`;

export const handlerEntry = (c: CommandNames): string => `${c.Command}: ${c.command},`;

export const mutationResolver = (c: CommandNames): string =>
  `${c.command}: (_parent, { input }, { bus }) => bus.execute({ type: '${c.Command}', reference: input.reference }),`;

export const payloadResolver = (n: ContextNames, c: CommandNames): string => `${c.Command}Payload: {
  ${n.aggregate}: ({ reference }, _args, { views }) => readable(views.${n.context}.${n.aggregate}ByReference(reference)),
},`;

export const sdlTypes = (n: ContextNames, c: CommandNames): string => `input ${c.Command}Input {
  reference: String!
}

type ${c.Command}Payload {
  ${n.aggregate}: ${n.Aggregate}!
}
`;

export const sdlMutation = (
  n: ContextNames,
  c: CommandNames,
): string => `"Raises ${c.Event} (the ${n.spoken} goes one version up). Errors: NOT_FOUND (no such ${n.spoken})."
${c.command}(input: ${c.Command}Input!): ${c.Command}Payload!
  @auth(resource: ${n.resource}, action: UPDATE, id: "input.reference")`;

export const operation = (
  n: ContextNames,
  c: CommandNames,
): string => `mutation ${c.Command}($input: ${c.Command}Input!) {
  ${c.command}(input: $input) {
    ${n.aggregate} {
      reference
      version
    }
  }
}
`;

export const unitTest = (
  n: ContextNames,
  c: CommandNames,
): string => `import { create${n.Aggregate}, ${c.command} } from '../../../src/${n.context}/domain/${n.file}.ts';
import { ${n.context}Subscriptions } from '../../../src/${n.context}/entrypoints/subscriptions.ts';
import { failure, NOW, ${n.context}Application } from '../../fakes/${n.context}/${n.context}-application.ts';

const STORED = { reference: 'ref-1', ownerId: null, createdAt: NOW, version: 1 };

describe('${c.Command}', () => {
  it('raises ${c.Event} (the domain change)', () => {
    const ${n.aggregate} = { ...create${n.Aggregate}({ reference: 'ref-1', ownerId: null, createdAt: NOW }), version: 3, events: [] };

    expect(${c.command}(${n.aggregate})).toEqual({ ...${n.aggregate}, events: [{ type: '${c.Event}', reference: 'ref-1' }] });
  });

  it('saves the ${n.spoken} one version up and commits ${c.Event}', async () => {
    const { uow, run } = ${n.context}Application();
    uow.seed(STORED);

    const outcome = await run({ type: '${c.Command}', reference: 'ref-1' });

    expect(outcome).toEqual({ ok: true, result: { reference: 'ref-1' }, events: [{ type: '${c.Event}', reference: 'ref-1' }] });
    expect(uow.${n.aggregates}().get('ref-1')?.version).toBe(2);
  });

  it('answers ${n.Aggregate}NotFound on input.reference for a reference nobody has, committing nothing', async () => {
    const { run } = ${n.context}Application();

    const outcome = await run({ type: '${c.Command}', reference: 'nobody' });

    expect(failure(outcome)).toMatchObject({ category: 'NotFound', name: '${n.Aggregate}NotFound', details: { field: 'input.reference' } });
    expect(outcome.events).toEqual([]);
  });

  it('tells the subscribers of ${n.aggregate}Changed: ${c.Event} feeds it, naming the ${n.spoken}', () => {
    const changeOf = ${n.context}Subscriptions.${n.aggregate}Changed?.events['${c.Event}'] as (event: object) => object;

    expect(changeOf({ type: '${c.Event}', reference: 'ref-1' })).toEqual({ reference: 'ref-1' });
  });

  it("runs again on the winner's state when a concurrent change saves first, and commits one event", async () => {
    const { uow, run } = ${n.context}Application();
    uow.seed(STORED).beforeNextSave((stored) => stored.set('ref-1', { ...STORED, version: 2 }));

    const outcome = await run({ type: '${c.Command}', reference: 'ref-1' });

    expect(outcome.events).toEqual([{ type: '${c.Event}', reference: 'ref-1' }]);
    expect(uow.attempts()).toBe(2);
    expect(uow.${n.aggregates}().get('ref-1')?.version).toBe(3);
  });
});
`;

export const e2eTest = (
  n: ContextNames,
  c: CommandNames,
): string => `/** ${c.Command} over HTTP on real Postgres (made by \`npm run generate -- command ${n.context} ${c.Command}\`). */
import { operation } from './support/operations.ts';
import { startTestServer, type GraphQLResponse, type TestServer } from './support/server.ts';

const CREATE = operation('Create${n.Aggregate}');
const COMMAND = operation('${c.Command}');

const codeOf = (response: GraphQLResponse) => response.body.errors?.[0]?.extensions?.code;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await server.admin(CREATE, { input: { reference: 'e2e-1' } });
});
afterAll(async () => server?.close());

describe('${c.command} over HTTP', () => {
  it('saves the ${n.spoken} one version up', async () => {
    const response = await server.admin(COMMAND, { input: { reference: 'e2e-1' } });

    expect(response.body).toEqual({ data: { ${c.command}: { ${n.aggregate}: { reference: 'e2e-1', version: 2 } } } });
  });

  it('answers NOT_FOUND for a reference nobody has', async () => {
    expect(codeOf(await server.admin(COMMAND, { input: { reference: 'nobody' } }))).toBe('NOT_FOUND');
  });

  it('asks anonymous callers to sign in', async () => {
    expect(codeOf(await server.graphql(COMMAND, { input: { reference: 'e2e-1' } }))).toBe('UNAUTHENTICATED');
  });
});
`;

/** A row of the context's part of the authorization matrix: UPDATE on the fixture, which only scoped's role grants. */
export const matrixRow = (n: ContextNames, c: CommandNames): string => `'Mutation.${c.command}': {
  operation: 'mutation ($input: ${c.Command}Input!) { ${c.command}(input: $input) { ${n.aggregate} { reference } } }',
  variables: () => ({ input: { reference: FIXTURE } }),
  expect: writtenByScopedOnly,
},`;

/** The payload's codegen mapper, among the module's. */
export const mapper = (n: ContextNames, c: CommandNames): string =>
  `export type { ${n.Aggregate}Result as ${c.Command}PayloadMapper } from './services/handlers.ts';`;

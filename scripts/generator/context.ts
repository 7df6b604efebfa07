/**
 * `generate context <name>`: a new bounded context with one aggregate, one command, one query, its SDL, its
 * migration, its own authorization resource, its wiring into the shell, and its tests. Plans every change in the
 * workspace; nothing is written until all of them were computed.
 */
import { aboveAnchor, beforeBlockEnd, withImports } from './edits.ts';
import {
  checkBinding,
  checkContextName,
  checkPascalName,
  contextNames,
  defaultAggregate,
  GeneratorError,
  pascal,
  type ContextNames,
} from './names.ts';
import * as core from './templates/context-core.ts';
import * as e2e from './templates/context-e2e.ts';
import * as shell from './templates/context-shell.ts';
import * as tests from './templates/context-tests.ts';
import {
  assertNewMessages,
  assertNewSchemaNames,
  assertNewTable,
  ensureFile,
  resources,
  RESOURCES_LIST,
} from './checks.ts';
import type { Workspace } from './workspace.ts';

/** Names the generated code binds next to the aggregate's variables (`shipment`, `shipments`). */
const TAKEN_BINDINGS = new Set(
  (
    'access bus change clock command commands committed connection db draft error errors events fresh harness hooks input ' +
    'load model outcome owner pending raised reference repositories run saved server stored unitOfWork uow views written'
  ).split(' '),
);

const validate = (workspace: Workspace, context: string, aggregate: string): ContextNames => {
  const n = contextNames(context, aggregate);
  for (const binding of [n.aggregate, n.aggregates]) {
    checkBinding(binding, `the aggregate ${aggregate}`);
    if (TAKEN_BINDINGS.has(binding)) {
      throw new GeneratorError(
        `the aggregate ${aggregate} would clash with generated code (${binding}); choose another --aggregate`,
      );
    }
  }
  if (workspace.folders('src').includes(context)) {
    throw new GeneratorError(`src/${context} exists already: the context "${context}" is taken`);
  }
  if (resources(workspace).includes(n.resource)) {
    throw new GeneratorError(`the resource ${n.resource} exists already; choose another --aggregate`);
  }
  assertNewSchemaNames(workspace, {
    types: [n.Aggregate, `Create${n.Aggregate}Input`, `Create${n.Aggregate}Payload`],
    rootFields: [n.aggregate, `create${n.Aggregate}`],
  });
  assertNewTable(workspace, n.table);
  assertNewMessages(workspace, { commands: [`Create${n.Aggregate}`], events: [`${n.Aggregate}Created`] });
  return n;
};

const createFiles = (workspace: Workspace, n: ContextNames): void => {
  const src = `src/${n.context}`;
  workspace.create(`${src}/domain/commands.ts`, core.domainCommands(n));
  workspace.create(`${src}/domain/events.ts`, core.domainEvents(n));
  workspace.create(`${src}/domain/errors.ts`, core.domainErrors(n));
  workspace.create(`${src}/domain/${n.file}.ts`, core.domainAggregate(n));
  workspace.create(`${src}/services/ports.ts`, core.servicesPorts(n));
  workspace.create(`${src}/services/views.ts`, core.servicesViews(n));
  workspace.create(`${src}/services/handlers.ts`, core.servicesHandlers(n));
  workspace.create(`${src}/adapters/slonik-${n.file}-repository.ts`, shell.adapterRepository(n));
  workspace.create(`${src}/adapters/slonik-${n.context}-views.ts`, shell.adapterViews(n));
  workspace.create(`${src}/entrypoints/resolvers.ts`, shell.entrypointResolvers(n));
  workspace.create(`schema/${n.context}.graphql`, shell.sdl(n));

  workspace.create(`tests/fakes/${n.context}/fake-${n.context}-unit-of-work.ts`, tests.fakeUnitOfWork(n));
  workspace.create(`tests/fakes/${n.context}/${n.context}-application.ts`, tests.fakeApplication(n));
  workspace.create(`tests/unit/${n.context}/${n.file}.test.ts`, tests.unitDomain(n));
  workspace.create(`tests/unit/${n.context}/handlers.test.ts`, tests.unitHandlers(n));
  workspace.create(`tests/integration/${n.context}/${n.file}-repository.test.ts`, tests.integration(n));
  workspace.create(`tests/e2e/${n.context}.test.ts`, e2e.e2e(n));
  workspace.create(`tests/e2e/operations/Create${n.Aggregate}.graphql`, e2e.createOperation(n));
  workspace.create(`tests/e2e/operations/${n.Aggregate}.graphql`, e2e.readOperation(n));
};

/** The new resource, everywhere the fixed list of resources lives, and the administrator's grant of it. */
const addResource = (workspace: Workspace, n: ContextNames): void => {
  const all = [...resources(workspace), n.resource];
  workspace.edit('src/core/access.ts', (text) =>
    text.replace(RESOURCES_LIST, `export const RESOURCES = [${all.map((name) => `'${name}'`).join(', ')}] as const;`),
  );
  workspace.edit(
    'schema/core.graphql',
    beforeBlockEnd(
      'schema/core.graphql',
      'enum Resource {',
      '}',
      `"${pascal(n.spokenPlural)} of the ${n.context} context, by reference."\n${n.resource}`,
    ),
  );
  workspace.edit(
    'src/access/domain/policies.ts',
    beforeBlockEnd(
      'src/access/domain/policies.ts',
      'const keyFormats',
      '};',
      `${n.resource}: { valid: (key) => ${core.REFERENCE_PATTERN}.test(key), is: 'a ${n.spoken} reference' },`,
    ),
  );
  const everything = all.map((resource) => ({
    resource,
    actions: ['READ', 'CREATE', 'UPDATE', 'DELETE'],
    selectors: ['*'],
  }));
  ensureFile(workspace, 'migrations/current.sql');
  workspace.edit(
    'migrations/current.sql',
    (text) => `${text.replace(/\n*$/, '\n')}${shell.migration(n, JSON.stringify(everything))}`,
  );
};

const wireShell = (workspace: Workspace, n: ContextNames): void => {
  const { context, Context } = n;
  const bootstrap = 'src/bootstrap.ts';
  workspace.edit(
    bootstrap,
    withImports(bootstrap, [
      `import { create${n.Aggregate}Repository } from './${context}/adapters/slonik-${n.file}-repository.ts';`,
      `import { create${Context}Views } from './${context}/adapters/slonik-${context}-views.ts';`,
      `import { ${context}CommandHandlers, ${context}EventHandlers } from './${context}/services/handlers.ts';`,
      `import type { ${Context}Dependencies, ${Context}Repositories } from './${context}/services/ports.ts';`,
      `import type { ${Context}Views } from './${context}/services/views.ts';`,
    ]),
  );
  workspace.edit(
    bootstrap,
    aboveAnchor(
      bootstrap,
      'options',
      `readonly ${context}UnitOfWork?: () => UnitOfWork<${Context}Repositories>;
readonly ${context}Views?: ${Context}Views;`,
    ),
  );
  workspace.edit(
    bootstrap,
    aboveAnchor(
      bootstrap,
      'units of work',
      `const ${context}UnitOfWork =
  options.${context}UnitOfWork ??
  ((): UnitOfWork<${Context}Repositories> =>
    slonikUnitOfWork((connection, events) => ({ ${n.aggregates}: create${n.Aggregate}Repository(connection, events) })));
const ${context}Dependencies = (): ${Context}Dependencies => ({ uow: ${context}UnitOfWork(), clock });`,
    ),
  );
  workspace.edit(
    bootstrap,
    aboveAnchor(
      bootstrap,
      'command handlers',
      `...bindCommandHandlers(${context}CommandHandlers, ${context}Dependencies),`,
    ),
  );
  workspace.edit(
    bootstrap,
    aboveAnchor(bootstrap, 'event handlers', `bindEventHandlers(${context}EventHandlers, ${context}Dependencies),`),
  );
  workspace.edit(
    bootstrap,
    aboveAnchor(
      bootstrap,
      'views',
      `${context}:
  options.${context}Views ?? (options.pool ? create${Context}Views(options.pool) : unavailable('${context} views')),`,
    ),
  );

  const graphqlContext = 'src/platform/graphql/context.ts';
  workspace.edit(
    graphqlContext,
    withImports(graphqlContext, [
      `import type { ${context}CommandHandlers } from '../../${context}/services/handlers.ts';`,
      `import type { ${Context}Views } from '../../${context}/services/views.ts';`,
    ]),
  );
  workspace.edit(graphqlContext, aboveAnchor(graphqlContext, 'command routes', `& typeof ${context}CommandHandlers`));
  workspace.edit(graphqlContext, aboveAnchor(graphqlContext, 'views', `readonly ${context}: ${Context}Views;`));

  const schema = 'src/platform/graphql/schema.ts';
  workspace.edit(
    schema,
    withImports(schema, [
      `import { ${context}Resolvers, ${context}Subjects } from '../../${context}/entrypoints/resolvers.ts';`,
    ]),
  );
  workspace.edit(schema, aboveAnchor(schema, 'resolvers', `${context}Resolvers,`));
  workspace.edit(schema, aboveAnchor(schema, 'subjects', `...${context}Subjects,`));

  workspace.edit(
    'codegen.yml',
    aboveAnchor(
      'codegen.yml',
      'mappers',
      `${n.Aggregate}: "../${context}/services/views.ts#${n.Aggregate}View"
Create${n.Aggregate}Payload: "../${context}/services/handlers.ts#${n.Aggregate}Result"`,
    ),
  );

  const matrix = 'tests/e2e/authorization.test.ts';
  workspace.edit(matrix, beforeBlockEnd(matrix, 'beforeAll(async () => {', '});', e2e.matrixFixture(n)));
  workspace.edit(matrix, beforeBlockEnd(matrix, 'const MATRIX: Record<string, Row> = {', '};', e2e.matrixRows(n)));
};

export const planContext = (
  workspace: Workspace,
  args: readonly string[],
  options: { aggregate?: string },
): ContextNames => {
  if (args.length > 1)
    throw new GeneratorError(`unexpected arguments after the context name: ${args.slice(1).join(' ')}`);
  const context = checkContextName(args[0]);
  const aggregate = checkPascalName(options.aggregate ?? defaultAggregate(context), 'aggregate');
  const n = validate(workspace, context, aggregate);
  createFiles(workspace, n);
  addResource(workspace, n);
  wireShell(workspace, n);
  return n;
};

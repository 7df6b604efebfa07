/**
 * `generate context <name>`: a new bounded context with one aggregate, one command, one query, one subscription
 * (fed by its events), its SDL, its own authorization resource, its module, its tests and its part of the
 * authorization matrix, all in new files. Two
 * existing files change: src/contexts.ts (the module joins the list) and migrations/current.sql (the context's table,
 * and the administrator's policy on its resource). Plans every change in the workspace; nothing is written until all
 * of them were computed.
 */
import { assertNewMessages, assertNewSchemaNames, assertNewTable, ensureFile, resources } from './checks.ts';
import { assertListable, CONTEXT_LIST, listContext } from './context-list.ts';
import {
  checkBinding,
  checkContextName,
  checkPascalName,
  contextNames,
  defaultAggregate,
  GeneratorError,
  type ContextNames,
} from './names.ts';
import * as core from './templates/context-core.ts';
import * as e2e from './templates/context-e2e.ts';
import * as fakes from './templates/context-fakes.ts';
import * as wiring from './templates/context-module.ts';
import * as outer from './templates/context-shell.ts';
import * as tests from './templates/context-tests.ts';
import type { Workspace } from './workspace.ts';

/** Names the generated code binds next to the aggregate's variables (`shipment`, `shipments`). */
const TAKEN_BINDINGS = new Set(
  (
    'access bus change clock command commands committed connection db draft error errors events fresh harness hooks input ' +
    'load model outcome owner pending raised reference repositories run saved scope scoped server stored unitOfWork uow ' +
    'views written'
  ).split(' '),
);
/** Names the generated module.ts binds next to the module itself, which is named after the context. */
const MODULE_BINDINGS = new Set(['wire', 'repositories', 'shell', 'overrides', 'dependencies', 'unitOfWork']);

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
  if (MODULE_BINDINGS.has(context)) {
    throw new GeneratorError(`the context name "${context}" would clash with its own module.ts; choose another`);
  }
  if (workspace.folders('src').includes(context)) {
    throw new GeneratorError(`src/${context} exists already: the context "${context}" is taken`);
  }
  assertListable(workspace, context);
  if (resources(workspace).includes(n.resource)) {
    throw new GeneratorError(`the resource ${n.resource} exists already; choose another --aggregate`);
  }
  assertNewSchemaNames(workspace, {
    types: [n.Aggregate, `Create${n.Aggregate}Input`, `Create${n.Aggregate}Payload`],
    rootFields: [n.aggregate, `create${n.Aggregate}`, `${n.aggregate}Changed`],
  });
  assertNewTable(workspace, n.table);
  assertNewMessages(workspace, { commands: [`Create${n.Aggregate}`], events: [`${n.Aggregate}Created`] });
  return n;
};

const createSource = (workspace: Workspace, n: ContextNames): void => {
  const src = `src/${n.context}`;
  workspace.create(`${src}/domain/commands.ts`, core.domainCommands(n));
  workspace.create(`${src}/domain/events.ts`, core.domainEvents(n));
  workspace.create(`${src}/domain/errors.ts`, core.domainErrors(n));
  workspace.create(`${src}/domain/${n.file}.ts`, core.domainAggregate(n));
  workspace.create(`${src}/services/ports.ts`, core.servicesPorts(n));
  workspace.create(`${src}/services/views.ts`, core.servicesViews(n));
  workspace.create(`${src}/services/handlers.ts`, core.servicesHandlers(n));
  workspace.create(`${src}/adapters/slonik-${n.file}-repository.ts`, outer.adapterRepository(n));
  workspace.create(`${src}/adapters/slonik-${n.context}-views.ts`, outer.adapterViews(n));
  workspace.create(`${src}/entrypoints/resolvers.ts`, wiring.entrypointResolvers(n));
  workspace.create(`${src}/entrypoints/subscriptions.ts`, wiring.entrypointSubscriptions(n));
  workspace.create(`${src}/module.ts`, wiring.module(n));
  workspace.create(`schema/${n.context}.graphql`, outer.sdl(n));
};

const createTests = (workspace: Workspace, n: ContextNames): void => {
  workspace.create(`tests/fakes/${n.context}/fake-${n.context}-unit-of-work.ts`, fakes.fakeUnitOfWork(n));
  workspace.create(`tests/fakes/${n.context}/${n.context}-application.ts`, fakes.fakeApplication(n));
  workspace.create(`tests/unit/${n.context}/${n.file}.test.ts`, tests.unitDomain(n));
  workspace.create(`tests/unit/${n.context}/handlers.test.ts`, tests.unitHandlers(n));
  workspace.create(`tests/integration/${n.context}/${n.file}-repository.test.ts`, tests.integration(n));
  workspace.create(`tests/e2e/${n.context}.test.ts`, e2e.e2e(n));
  workspace.create(`tests/e2e/operations/Create${n.Aggregate}.graphql`, e2e.createOperation(n));
  workspace.create(`tests/e2e/operations/${n.Aggregate}.graphql`, e2e.readOperation(n));
  workspace.create(`tests/e2e/authorization/${n.context}.ts`, e2e.matrixPart(n));
};

/** The two existing files a context changes: the list of contexts, and the migration in progress. */
const register = (workspace: Workspace, n: ContextNames): void => {
  workspace.edit(CONTEXT_LIST, listContext(n.context));
  ensureFile(workspace, 'migrations/current.sql');
  workspace.edit('migrations/current.sql', (text) => `${text.replace(/\n*$/, '\n')}${outer.migration(n)}`);
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
  createSource(workspace, n);
  createTests(workspace, n);
  register(workspace, n);
  return n;
};

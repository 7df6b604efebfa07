/**
 * `generate command <context> <Name>`: a command on the aggregate of a context made by `generate context`, from
 * the domain to the mutation, with its tests and its row of the authorization matrix. It changes only the context's
 * own files, which carry `generate:` anchors that say where each piece goes (and, in domain/commands.ts, which
 * aggregate the context is about).
 */
import { aboveAnchor, anchorValue, extendUnion } from './edits.ts';
import {
  checkBinding,
  checkContextName,
  checkPascalName,
  commandNames,
  contextNames,
  eventOf,
  GeneratorError,
  type CommandNames,
  type ContextNames,
} from './names.ts';
import { assertNewMessages, assertNewSchemaNames } from './checks.ts';
import * as templates from './templates/command.ts';
import type { Workspace } from './workspace.ts';

/** The context as `generate context` left it: its names, read back from the anchor in domain/commands.ts. */
const generatedContext = (workspace: Workspace, context: string): ContextNames => {
  if (!workspace.folders('src').includes(context)) throw new GeneratorError(`there is no context src/${context}`);
  const commands = `src/${context}/domain/commands.ts`;
  const aggregate = workspace.exists(commands) ? anchorValue(workspace.read(commands), 'commands of') : null;
  if (!aggregate) {
    throw new GeneratorError(
      `src/${context} was not made by \`generate context\` (${commands} has no "// generate: commands of <Aggregate>" ` +
        'anchor): add the command by hand, as README "How to add a field" describes',
    );
  }
  return contextNames(context, aggregate);
};

const validate = (workspace: Workspace, n: ContextNames, c: CommandNames): void => {
  if (
    c.Command === `Create${n.Aggregate}` ||
    workspace.read(`src/${n.context}/domain/commands.ts`).includes(`'${c.Command}'`)
  ) {
    throw new GeneratorError(`the context ${n.context} already has a command ${c.Command}`);
  }
  assertNewMessages(workspace, { commands: [c.Command], events: [c.Event] });
  assertNewSchemaNames(workspace, { types: [`${c.Command}Input`, `${c.Command}Payload`], rootFields: [c.command] });
  checkBinding(c.command, `the command ${c.Command}`);
  for (const module of [`src/${n.context}/domain/${n.file}.ts`, `src/${n.context}/services/handlers.ts`]) {
    if (new RegExp(`export (?:const|type|function) ${c.command}\\b`).test(workspace.read(module))) {
      throw new GeneratorError(`${module} already exports ${c.command}`);
    }
  }
};

const addSource = (workspace: Workspace, n: ContextNames, c: CommandNames): void => {
  const src = `src/${n.context}`;
  const commands = `${src}/domain/commands.ts`;
  workspace.edit(
    commands,
    aboveAnchor(commands, `commands of ${n.Aggregate}`, templates.commandType(n, c), { spaced: true }),
  );
  workspace.edit(commands, extendUnion(commands, `${n.Context}Command`, c.Command));
  const events = `${src}/domain/events.ts`;
  workspace.edit(events, aboveAnchor(events, 'events', templates.eventType(c), { spaced: true }));
  workspace.edit(events, extendUnion(events, `${n.Context}Event`, c.Event));
  workspace.edit(
    `${src}/domain/${n.file}.ts`,
    (text) => `${text.replace(/\n*$/, '\n')}${templates.domainChange(n, c)}`,
  );

  const handlers = `${src}/services/handlers.ts`;
  workspace.edit(handlers, aboveAnchor(handlers, 'handlers', templates.handler(n, c), { spaced: true }));
  workspace.edit(handlers, aboveAnchor(handlers, 'command handlers', templates.handlerEntry(c)));

  // The aggregate changed: its subscribers hear of it.
  const subscriptions = `${src}/entrypoints/subscriptions.ts`;
  workspace.edit(subscriptions, aboveAnchor(subscriptions, 'changes', templates.feedEntry(c)));

  const resolvers = `${src}/entrypoints/resolvers.ts`;
  workspace.edit(resolvers, aboveAnchor(resolvers, 'mutations', templates.mutationResolver(c)));
  workspace.edit(resolvers, aboveAnchor(resolvers, 'payloads', templates.payloadResolver(n, c)));

  const sdl = `schema/${n.context}.graphql`;
  workspace.edit(sdl, aboveAnchor(sdl, 'types', templates.sdlTypes(n, c), { spaced: true }));
  workspace.edit(sdl, aboveAnchor(sdl, 'mutations', templates.sdlMutation(n, c)));
  const moduleFile = `${src}/module.ts`;
  workspace.edit(moduleFile, aboveAnchor(moduleFile, 'mappers', templates.mapper(n, c)));
};

const addTests = (workspace: Workspace, n: ContextNames, c: CommandNames): void => {
  workspace.create(`tests/unit/${n.context}/${c.file}.test.ts`, templates.unitTest(n, c));
  workspace.create(`tests/e2e/${n.context}-${c.file}.test.ts`, templates.e2eTest(n, c));
  workspace.create(`tests/e2e/operations/${c.Command}.graphql`, templates.operation(n, c));
  const matrix = `tests/e2e/authorization/${n.context}.ts`;
  workspace.edit(matrix, aboveAnchor(matrix, 'rows', templates.matrixRow(n, c)));
};

export const planCommand = (
  workspace: Workspace,
  args: readonly string[],
  options: { event?: string },
): { context: ContextNames; command: CommandNames } => {
  if (args.length > 2)
    throw new GeneratorError(`unexpected arguments after the command name: ${args.slice(2).join(' ')}`);
  const context = checkContextName(args[0]);
  const name = checkPascalName(args[1], 'command');
  const n = generatedContext(workspace, context);
  const event = checkPascalName(options.event ?? eventOf(name, n.Aggregate), 'event');
  const c = commandNames(name, event);
  validate(workspace, n, c);
  addSource(workspace, n, c);
  addTests(workspace, n, c);
  return { context: n, command: c };
};

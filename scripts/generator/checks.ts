/** Questions the generators ask of the repository before they change anything: is this name free? */
import { Kind } from 'graphql';
import { GeneratorError } from './names.ts';
import type { Workspace } from './workspace.ts';

/** The authorization resources: every value any SDL file gives `enum Resource` (each context adds its own). */
export const resources = (workspace: Workspace): string[] =>
  workspace
    .schemaDocuments()
    .flatMap((document) => document.definitions)
    .flatMap((definition) =>
      (definition.kind === Kind.ENUM_TYPE_DEFINITION || definition.kind === Kind.ENUM_TYPE_EXTENSION) &&
      definition.name.value === 'Resource'
        ? (definition.values ?? []).map((value) => value.name.value)
        : [],
    );

export const assertNewSchemaNames = (
  workspace: Workspace,
  wanted: { readonly types: readonly string[]; readonly rootFields: readonly string[] },
): void => {
  const { types, rootFields } = workspace.schemaNames();
  for (const type of wanted.types) {
    if (types.has(type)) throw new GeneratorError(`the SDL already declares a type ${type}`);
  }
  for (const field of wanted.rootFields) {
    if (rootFields.has(field))
      throw new GeneratorError(`the SDL already has a Query, Mutation or Subscription field ${field}`);
  }
};

/** Tables are created by committed migrations and by the work in progress (current.sql). */
export const assertNewTable = (workspace: Workspace, table: string): void => {
  const migrations = [...workspace.files('migrations/committed', '.sql'), 'migrations/current.sql'].filter((path) =>
    workspace.exists(path),
  );
  const pattern = new RegExp(`create\\s+table\\s+(?:if\\s+not\\s+exists\\s+)?(?:public\\.)?"?${table}"?[\\s(]`, 'i');
  const owner = migrations.find((path) => pattern.test(workspace.read(path)));
  if (owner) throw new GeneratorError(`${owner} already creates a table ${table}`);
};

/** Message types are global on the bus: no two contexts may name a command or an event the same. */
export const assertNewMessages = (
  workspace: Workspace,
  wanted: { readonly commands: readonly string[]; readonly events: readonly string[] },
): void => {
  for (const context of workspace.folders('src')) {
    for (const [kind, names] of [
      ['commands', wanted.commands],
      ['events', wanted.events],
    ] as const) {
      const path = `src/${context}/domain/${kind}.ts`;
      if (!workspace.exists(path)) continue;
      const text = workspace.read(path);
      const taken = names.find((name) => text.includes(`'${name}'`));
      if (taken) throw new GeneratorError(`${path} already has a message named ${taken}`);
    }
  }
};

/** graphile-migrate's work in progress; a fresh clone always has it, but an empty one is harmless to create. */
export const ensureFile = (workspace: Workspace, path: string): void => {
  if (!workspace.exists(path)) workspace.create(path, '-- Enter migration here\n');
};

/**
 * graphql-codegen's `typescript-resolvers`, with the mappers every bounded context declares. codegen.yml names this
 * plugin where it would name `typescript-resolvers`; the mappers come from the contexts listed in src/contexts.ts:
 * each context's module.ts exports `<GraphQLType>Mapper` types (the convention of The Guild's server preset), e.g.
 * `export type { ProductView as ProductMapper } from './services/views.ts'`. So adding or removing a context's line
 * in the list adds or removes its mappers, and codegen.yml never names a context.
 */
import { plugin as typescriptResolvers } from '@graphql-codegen/typescript-resolvers';
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

type Plugin = typeof typescriptResolvers;

const ROOT = join(import.meta.dirname, '..', '..');
const CONTEXTS = join(ROOT, 'src', 'contexts.ts');
const MAPPER = /^(\w+)Mapper$/;

const parse = (file: string): ts.SourceFile =>
  ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);

/** The module.ts files src/contexts.ts imports: `import { inventory } from './inventory/module.ts'`. */
export const listedModules = (contextsFile = CONTEXTS): string[] =>
  parse(contextsFile)
    .statements.filter(ts.isImportDeclaration)
    .map((statement) => (statement.moduleSpecifier as ts.StringLiteral).text)
    .filter((specifier) => /^\.\/[^/]+\/module\.ts$/.test(specifier))
    .map((specifier) => join(dirname(contextsFile), specifier));

const isExported = (statement: ts.Statement): boolean =>
  ts.canHaveModifiers(statement) &&
  (ts.getModifiers(statement) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);

/** The names a module exports that end in `Mapper`: type aliases, interfaces and re-exports. */
export const mapperNames = (moduleFile: string): string[] =>
  parse(moduleFile)
    .statements.flatMap((statement) => {
      if ((ts.isTypeAliasDeclaration(statement) || ts.isInterfaceDeclaration(statement)) && isExported(statement)) {
        return [statement.name.text];
      }
      if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
        return statement.exportClause.elements.map((element) => element.name.text);
      }
      return [];
    })
    .filter((name) => MAPPER.test(name));

/** `{ Product: '../inventory/module.ts#ProductMapper', ... }`, paths relative to the generated file. */
export const contextMappers = (outputFile: string, contextsFile = CONTEXTS): Record<string, string> => {
  const mappers: Record<string, string> = {};
  for (const moduleFile of listedModules(contextsFile)) {
    const path = relative(dirname(join(ROOT, outputFile)), moduleFile)
      .split('\\')
      .join('/');
    for (const name of mapperNames(moduleFile)) {
      const type = MAPPER.exec(name)?.[1] ?? name;
      if (mappers[type]) throw new Error(`codegen: ${type} has two mappers (${mappers[type]} and ${path}#${name})`);
      mappers[type] = `${path}#${name}`;
    }
  }
  return mappers;
};

export const plugin: Plugin = (schema, documents, config, info) =>
  typescriptResolvers(
    schema,
    documents,
    { ...config, mappers: { ...contextMappers(info?.outputFile ?? 'src/generated/graphql.ts'), ...config.mappers } },
    info,
  );

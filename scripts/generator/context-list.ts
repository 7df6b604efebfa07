/**
 * The one line a new context adds to the application: its module in the list of src/contexts.ts (an import and an
 * entry of `contexts`). Found by the TypeScript parser, not by anchors, so the file can be arranged freely as long
 * as it keeps `export const contexts = [...]`.
 */
import ts from 'typescript';
import { GeneratorError } from './names.ts';
import type { Workspace } from './workspace.ts';

export const CONTEXT_LIST = 'src/contexts.ts';

const parse = (text: string): ts.SourceFile =>
  ts.createSourceFile(CONTEXT_LIST, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);

/** `[identity, access, ...]`, the initializer of `export const contexts` (with or without `as const`). */
const listOf = (file: ts.SourceFile): ts.ArrayLiteralExpression => {
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || declaration.name.text !== 'contexts') continue;
      let initializer = declaration.initializer;
      while (initializer && (ts.isAsExpression(initializer) || ts.isSatisfiesExpression(initializer))) {
        initializer = initializer.expression;
      }
      if (initializer && ts.isArrayLiteralExpression(initializer)) return initializer;
    }
  }
  throw new GeneratorError(`${CONTEXT_LIST}: cannot find "export const contexts = [...]", the list of contexts`);
};

/** Every name the file binds at its top level: its imports and its declarations. */
const boundNames = (file: ts.SourceFile): Set<string> => {
  const names = new Set<string>();
  for (const statement of file.statements) {
    const clause = ts.isImportDeclaration(statement) ? statement.importClause : undefined;
    if (clause?.name) names.add(clause.name.text);
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) bindings.elements.forEach((element) => names.add(element.name.text));
    if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) names.add(declaration.name.text);
      }
    }
    if ((ts.isTypeAliasDeclaration(statement) || ts.isFunctionDeclaration(statement)) && statement.name) {
      names.add(statement.name.text);
    }
  }
  return names;
};

/** Refuses a context whose module the list could not import under its name. */
export const assertListable = (workspace: Workspace, context: string): void => {
  const file = parse(workspace.read(CONTEXT_LIST));
  listOf(file);
  if (boundNames(file).has(context)) {
    throw new GeneratorError(`${CONTEXT_LIST} already binds the name "${context}": choose another context name`);
  }
};

/**
 * Adds `import { <context> } from './<context>/module.ts';` among the imports (kept in path order, as they are) and
 * `<context>` at the end of the list.
 */
export const listContext =
  (context: string) =>
  (text: string): string => {
    const file = parse(text);
    const list = listOf(file);
    const last = list.elements.at(-1);
    const edits = [{ at: last ? last.end : list.elements.pos, insert: `${last ? ', ' : ''}${context}` }];

    const specifier = `./${context}/module.ts`;
    const line = `import { ${context} } from '${specifier}';`;
    const imports = file.statements.filter(ts.isImportDeclaration);
    const next = imports.find((statement) => (statement.moduleSpecifier as ts.StringLiteral).text > specifier);
    const previous = imports.at(-1);
    if (next) edits.push({ at: next.getStart(file), insert: `${line}\n` });
    else if (previous) edits.push({ at: previous.end, insert: `\n${line}` });
    else edits.push({ at: 0, insert: `${line}\n` });

    // From the end backwards, so each position still points where it did in the original text.
    return edits
      .sort((left, right) => right.at - left.at)
      .reduce((result, { at, insert }) => `${result.slice(0, at)}${insert}${result.slice(at)}`, text);
  };

import { Kind } from 'graphql';
import { DEFAULT_LIMITS, graphqlProtection } from '../../../../src/platform/graphql/limits.ts';
import { buildApplicationSchema } from '../../../../src/schema.ts';
import { prepareDocuments } from '../../../../src/platform/graphql/trusted-documents/documents.ts';
import {
  ManifestError,
  operationId,
  type ManifestOperation,
} from '../../../../src/platform/graphql/trusted-documents/manifest.ts';

const schema = buildApplicationSchema();
const protection = graphqlProtection(DEFAULT_LIMITS, { hideSuggestions: true });
const production = {
  schema,
  parseOptions: protection.parseOptions,
  validationRules: protection.validationRules,
  introspection: false,
};
const entry = (name: string, body: string, type: ManifestOperation['type'] = 'query'): ManifestOperation => ({
  id: operationId(body),
  name,
  type,
  body,
});

describe('preparing the manifest’s documents once, as Apollo would check them', () => {
  it('parses and validates each operation, keyed by its id', () => {
    const viewer = entry('Viewer', 'query Viewer { viewer { id email } }');
    const logIn = entry(
      'LogIn',
      'mutation LogIn($input: LogInInput!) { logIn(input: $input) { accessToken } }',
      'mutation',
    );

    const documents = prepareDocuments([viewer, logIn], production, 'm.json');

    expect([...documents.keys()]).toEqual([viewer.id, logIn.id]);
    expect(documents.get(logIn.id)?.definitions[0]).toMatchObject({
      kind: Kind.OPERATION_DEFINITION,
      operation: 'mutation',
    });
  });

  it.each([
    ['a field the schema does not have', entry('Secret', 'query Secret { secret }'), /Cannot query field "secret"/],
    ['a syntax error', entry('Broken', 'query Broken { viewer { id }'), /Syntax Error/],
    [
      'introspection, which production refuses',
      entry('Schema', 'query Schema { __schema { types { name } } }'),
      /introspection/i,
    ],
    [
      'a document past the depth limit',
      entry(
        'Deep',
        `query Deep { product(sku: "X") { ${'batches(first: 1) { edges { node { product { '.repeat(3)}sku${' } } } }'.repeat(3)} } }`,
      ),
      /nested too deeply/,
    ],
    [
      'two operations in one body',
      entry('A', 'query A { viewer { id } } query B { viewer { id } }'),
      /holds 2 operations/,
    ],
    ['a name that is not its operation’s', entry('Viewer', 'query Me { viewer { id } }'), /its body is the query Me/],
    [
      'a type that is not its operation’s',
      entry('Viewer', 'query Viewer { viewer { id } }', 'mutation'),
      /its body is the query Viewer/,
    ],
  ])('refuses %s, naming the operation and its id', (_case, operation, problem) => {
    const refusal = () => prepareDocuments([operation], production, 'persisted-query-manifest.json');

    expect(refusal).toThrow(ManifestError);
    expect(refusal).toThrow(`${operation.name} (${operation.id})`);
    expect(refusal).toThrow(problem);
  });

  it('allows introspection where the server does (development)', () => {
    const introspection = entry('Schema', 'query Schema { __schema { queryType { name } } }');

    expect(prepareDocuments([introspection], { ...production, introspection: true }, 'm.json').size).toBe(1);
  });

  it('lists every refused operation at once, not only the first', () => {
    const refusal = () =>
      prepareDocuments([entry('One', 'query One { one }'), entry('Two', 'query Two { two }')], production, 'm.json');

    expect(refusal).toThrow(/One .*\n.*Two /);
  });
});

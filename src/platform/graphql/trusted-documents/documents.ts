import {
  Kind,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ParseOptions,
  type ValidationRule,
  type OperationTypeNode,
} from 'graphql';
import { ManifestError, type ManifestOperation } from './manifest.ts';

/** What Apollo checks every document against: the parser's limits, the spec's rules and ours. */
export type DocumentChecks = {
  readonly schema: GraphQLSchema;
  readonly parseOptions: ParseOptions;
  readonly validationRules: readonly ValidationRule[];
  /** Introspection allowed (development); otherwise Apollo refuses it, and so does this check. */
  readonly introspection: boolean;
};

/** Why one operation of a manifest would be refused, or nothing when it passes. */
const problemsOf = (
  operation: ManifestOperation,
  checks: DocumentChecks,
  rules: readonly ValidationRule[],
): { document?: DocumentNode; problems: string[] } => {
  let document: DocumentNode;
  try {
    document = parse(operation.body, checks.parseOptions);
  } catch (error) {
    return { problems: [(error as Error).message] };
  }
  const problems = validate(checks.schema, document, rules).map((error) => error.message);
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const [only] = operations;
  if (operations.length !== 1 || !only) problems.push(`holds ${operations.length} operations, not one`);
  else if (only.name?.value !== operation.name || only.operation !== (operation.type as OperationTypeNode)) {
    problems.push(`its body is the ${only.operation} ${only.name?.value ?? '(anonymous)'}`);
  }
  return { document, problems };
};

/**
 * Parses and validates every operation of a manifest once, exactly as Apollo would (same parse options, the
 * specified rules, introspection refused outside development, our limits), so the server can hand Apollo the
 * documents ready and never parse them per request. Throws, listing every operation the server would refuse:
 * a manifest that does not fit this schema and these limits must not be deployed.
 */
export const prepareDocuments = (
  operations: readonly ManifestOperation[],
  checks: DocumentChecks,
  source: string,
): Map<string, DocumentNode> => {
  const rules = [
    ...specifiedRules,
    ...(checks.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
    ...checks.validationRules,
  ];
  const documents = new Map<string, DocumentNode>();
  const problems: string[] = [];
  for (const operation of operations) {
    const prepared = problemsOf(operation, checks, rules);
    if (prepared.problems.length > 0 || !prepared.document) {
      problems.push(...prepared.problems.map((problem) => `${operation.name} (${operation.id}): ${problem}`));
    } else documents.set(operation.id, prepared.document);
  }
  if (problems.length > 0) throw new ManifestError(source, problems);
  return documents;
};

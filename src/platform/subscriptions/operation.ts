/**
 * What a `subscribe` message may run, checked as an HTTP request is: trusted documents first (TRUSTED_DOCUMENTS,
 * before anything is parsed), then the parser's token limit, the specified rules and ours (depth, aliases,
 * directives, cost), no introspection outside development, no "Did you mean" hints. Only subscriptions: queries and
 * mutations stay on HTTP, where their limits, rate limits and CSRF protection live.
 */
import { HeaderMap } from '@apollo/server';
import {
  getOperationAST,
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  OperationTypeNode,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import type { GraphQLProtection } from '../graphql/limits.ts';
import { LIMIT_MESSAGES } from '../graphql/limits/messages.ts';
import type { TrustedDocuments } from '../graphql/trusted-documents/apollo-options.ts';
import {
  createTrustedDocumentsGate,
  NOT_IN_LIST,
  NOT_IN_LIST_MESSAGE,
  type UnknownOperation,
} from '../graphql/trusted-documents/gate.ts';

export type OperationChecks = {
  readonly schema: GraphQLSchema;
  readonly protection: GraphQLProtection;
  /** Development: introspection allowed, and validation messages keep their hints. */
  readonly isDevelopment: boolean;
  readonly trustedDocuments: TrustedDocuments;
  /** Told of every operation outside the trusted documents (logged and counted, as for HTTP). */
  readonly observeUnknown: (operation: UnknownOperation) => void;
};

export type PreparedOperation = {
  readonly document: DocumentNode;
  readonly operationName: string | undefined;
  readonly variableValues: Record<string, unknown> | undefined;
};

const TOKEN_LIMIT = /^Syntax Error: Document contains more tha[nt] \d+ tokens/;
const SUGGESTION = /\s*Did you mean .+\?/g;

const refusal = (message: string, code: string): GraphQLError[] => [
  new GraphQLError(message, { extensions: { code } }),
];

/** The manifest's body for an id sent without a document (a persisted query), or the document as sent. */
const sourceOf = (payload: SubscribePayload, trusted: TrustedDocuments): string => {
  if (payload.query !== '' || trusted.mode === 'off') return payload.query;
  const id = (payload.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined)?.sha256Hash;
  return typeof id === 'string' ? (trusted.operations.byId.get(id)?.body ?? '') : '';
};

/** Makes the checks of one server: the trusted documents gate and the validation rules are built once. */
export const createOperationPreparer = (checks: OperationChecks) => {
  const gate = createTrustedDocumentsGate(checks.trustedDocuments, checks.observeUnknown);
  const rules = [
    ...specifiedRules,
    ...checks.protection.validationRules,
    ...(checks.isDevelopment ? [] : [NoSchemaIntrospectionCustomRule]),
  ];
  const shown = (message: string): string => (checks.isDevelopment ? message : message.replace(SUGGESTION, ''));

  return (payload: SubscribePayload): PreparedOperation | GraphQLError[] => {
    // As the HTTP body it would be: graphql-ws requires a `query`, so a client sending only an id sends ''.
    const body = { ...payload, query: payload.query === '' ? undefined : payload.query };
    const asRequest = { method: 'POST', headers: new HeaderMap(), search: '', body };
    if (gate?.(asRequest)) return refusal(NOT_IN_LIST_MESSAGE, NOT_IN_LIST);
    const source = sourceOf(payload, checks.trustedDocuments);
    if (source === '') return refusal('The subscribe message carries no document', 'BAD_REQUEST');

    let document: DocumentNode;
    try {
      document = parse(source, checks.protection.parseOptions);
    } catch (error) {
      const message = (error as Error).message;
      return TOKEN_LIMIT.test(message)
        ? refusal(LIMIT_MESSAGES.tokens, 'GRAPHQL_VALIDATION_FAILED')
        : refusal(message, 'GRAPHQL_PARSE_FAILED');
    }
    const invalid = validate(checks.schema, document, rules);
    if (invalid.length > 0) {
      return invalid.map(
        (error) =>
          new GraphQLError(shown(error.message), {
            nodes: error.nodes,
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          }),
      );
    }
    const operationName = payload.operationName ?? undefined;
    const operation = getOperationAST(document, operationName);
    if (!operation) return refusal('The document does not name one operation to run', 'BAD_REQUEST');
    if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
      return refusal('Queries and mutations are served over HTTP; this socket runs subscriptions only', 'BAD_REQUEST');
    }
    return { document, operationName, variableValues: payload.variables ?? undefined };
  };
};

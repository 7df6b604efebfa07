import { HeaderMap, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import type { TrustedDocuments } from './apollo-options.ts';
import { operationId, type TrustedOperations } from './manifest.ts';
import { requestedOperation, type RequestedOperation } from './requested-operation.ts';

/** An operation outside the manifest, as the gate saw it (nothing of it parsed). */
export type UnknownOperation = {
  /** The id the client sent, or the SHA-256 of the document it sent. */
  readonly hash: string;
  readonly operationName: string | null;
  /** True in enforce mode (refused), false in log mode (run). */
  readonly refused: boolean;
};

/** Answers a request itself (a refusal), or undefined to hand it to Apollo. */
export type TrustedDocumentsGate = (request: HTTPGraphQLRequest) => HTTPGraphQLResponse | undefined;

export const NOT_IN_LIST = 'PERSISTED_QUERY_NOT_IN_LIST';
export const NOT_IN_LIST_MESSAGE =
  'This server runs only the operations its clients ship (its trusted documents), and this is not one of them';

const REFUSAL = JSON.stringify({ errors: [{ message: NOT_IN_LIST_MESSAGE, extensions: { code: NOT_IN_LIST } }] });

/** Untrusted text bound for a log line: a string, cut short. */
const loggable = (value: unknown, length: number): string | null =>
  typeof value === 'string' ? value.slice(0, length) : null;

/**
 * The hash of what Apollo would run, or null when it is trusted, or undefined when the request names no operation
 * at all (Apollo refuses it). Mirrors Apollo's request pipeline: a persisted query without a document runs the
 * document its id resolves to; otherwise the document is what runs. Bodies are looked up as they are (a map of the
 * manifest's bodies): only unknown ones are hashed, for the log.
 */
const untrustedHash = (requested: RequestedOperation, operations: TrustedOperations): string | null | undefined => {
  const { query, persistedQuery } = requested;
  if (persistedQuery && query === undefined) {
    const id = (persistedQuery as { sha256Hash?: unknown }).sha256Hash;
    return typeof id === 'string' && operations.byId.has(id) ? null : (loggable(id, 128) ?? '');
  }
  if (!query) return undefined;
  return operations.idByBody.has(query) ? null : operationId(query);
};

/**
 * Judges each request before Apollo parses anything (Apollo's plugin hooks cannot refuse a request with a code of
 * their own before parsing). Enforce: an operation outside the manifest is answered here, 400 with
 * PERSISTED_QUERY_NOT_IN_LIST, at the cost of a map lookup (and a hash for the log). Log: it is reported to
 * `observe` and handed on. Off: no gate.
 */
export const createTrustedDocumentsGate = (
  trusted: TrustedDocuments,
  observe: (operation: UnknownOperation) => void,
): TrustedDocumentsGate | undefined => {
  if (trusted.mode === 'off') return undefined;
  const refused = trusted.mode === 'enforce';
  return (request) => {
    const requested = requestedOperation(request);
    const hash = requested && untrustedHash(requested, trusted.operations);
    if (!requested || hash === null || hash === undefined) return undefined;
    observe({ hash, operationName: loggable(requested.operationName, 128), refused });
    if (!refused) return undefined;
    return {
      status: 400,
      headers: new HeaderMap([['content-type', 'application/json; charset=utf-8']]),
      body: { kind: 'complete', string: REFUSAL },
    };
  };
};

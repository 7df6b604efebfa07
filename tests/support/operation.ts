/**
 * What the test helpers send: a typed document from tests/generated (a `.graphql` file's `<Name>Document`, or an
 * inline `graphql(`...`)` call), whose result and variables are then typed, or a plain string, answered untyped.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

/** `TData` and `TVariables` come from the document; a string gets the untyped defaults. */
export type Operation<TData = Untyped, TVariables = Record<string, unknown>> =
  string | TypedDocumentNode<TData, TVariables>;

/** The `data` of an operation given as a string: nothing is known of its shape. */
export type Untyped = Record<string, unknown>;

const printed = new WeakMap<object, string>();

/** The text to put on the wire: the string itself, or the document printed (once: tests send the same ones often). */
export const sourceOf = <TData, TVariables>(operation: Operation<TData, TVariables>): string => {
  if (typeof operation === 'string') return operation;
  const text = printed.get(operation) ?? print(operation);
  printed.set(operation, text);
  return text;
};

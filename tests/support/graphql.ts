/**
 * Runs GraphQL documents against the real schema and Apollo server, in process (no HTTP), with the context the
 * HTTP server would build. Results are what a client would receive: formatted by our error formatter.
 */
import { readFileSync } from 'node:fs';
import type { ApolloServer } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import type { Logger } from '../../src/core/ports.ts';
import type { GraphQLContext } from '../../src/contexts.ts';
import { sourceOf, type Operation, type Untyped } from './operation.ts';

export type LogEntry = { readonly level: keyof Logger; readonly object: object; readonly message: string };

/** A Logger that keeps what it is given, for asserting on what the server logged (and nothing is printed). */
export const createRecordingLogger = (): Logger & { readonly entries: LogEntry[] } => {
  const entries: LogEntry[] = [];
  const at =
    (level: keyof Logger) =>
    (object: object, message: string): void =>
      void entries.push({ level, object, message });
  return { entries, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
};

/** The text of a `.graphql` document, resolved against the calling test file's URL. */
export const readOperation = (relativePath: string, base: string | URL): string =>
  readFileSync(new URL(relativePath, base), 'utf8');

export type GraphQLResult<TData = Untyped> = FormattedExecutionResult<TData>;

/** Runs a typed document (its `data` typed by it) or a string (`data` untyped), as the HTTP server would. */
export const executeOperation = async <TData = Untyped, TVariables = Record<string, unknown>>(
  apollo: ApolloServer<GraphQLContext>,
  context: GraphQLContext,
  query: Operation<TData, TVariables>,
  variables?: NoInfer<TVariables>,
): Promise<GraphQLResult<TData>> => {
  const response = await apollo.executeOperation(
    { query: sourceOf(query), variables: variables ?? {} },
    { contextValue: context },
  );
  if (response.body.kind !== 'single') throw new Error(`expected a single result, got ${response.body.kind}`);
  // Through JSON, as a client receives it: scalars may serialize to objects (DateTime gives a Date) that only
  // become their wire form when the HTTP layer stringifies them.
  return JSON.parse(JSON.stringify(response.body.singleResult)) as GraphQLResult<TData>;
};

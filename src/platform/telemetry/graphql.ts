/**
 * What GraphQL operations add to traces and metrics. Traces: a span per operation, named `<type> <name>` with the
 * error codes it answered (`extensions.code`), and a span per root field resolver, its child, inside which the
 * field's SQL and jobs are traced. Metrics: operations and their latency, errors by code, per operation name (at
 * most MAX_OPERATION_NAMES distinct names: clients choose them, and each name is a time series).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { context, SpanStatusCode, trace, type Meter, type Span, type Tracer } from '@opentelemetry/api';
import { defaultFieldResolver, type GraphQLSchema } from 'graphql';
import { endSpanAfter } from './spans.ts';

const MAX_OPERATION_NAMES = 200;
const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** An answered error's `extensions.code` (every error we answer has one; a string, or UNKNOWN). */
const codeOf = (error: { readonly extensions?: Readonly<Record<string, unknown>> }): string => {
  const code = error.extensions?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
};

/** Operation names as metric attributes: the first MAX_OPERATION_NAMES seen, then `(other)`. */
const operationNames = () => {
  const seen = new Set<string>();
  return (name: string | null | undefined): string => {
    if (!name) return '(anonymous)';
    if (seen.has(name)) return name;
    if (seen.size >= MAX_OPERATION_NAMES) return '(other)';
    seen.add(name);
    return name;
  };
};

export type GraphQLObservability = {
  readonly plugin: ApolloServerPlugin;
  /** The schema with its root fields traced (the same schema when tracing is off). */
  readonly traceRootFields: (schema: GraphQLSchema) => GraphQLSchema;
};

export const graphqlObservability = (options: {
  readonly tracer: Tracer | null;
  readonly meter: Meter | null;
}): GraphQLObservability => {
  const { tracer, meter } = options;
  // The operation's span, for its root fields' spans: the active span while they run is the HTTP request's.
  const operationSpans = new WeakMap<object, Span>();
  const named = operationNames();
  const duration = meter?.createHistogram('kingdom.graphql.operation.duration', {
    description: 'GraphQL operations: how long each took, from request to response (its count is the rate)',
    unit: 's',
    advice: { explicitBucketBoundaries: SECONDS },
  });
  const errors = meter?.createCounter('kingdom.graphql.errors', {
    description: 'Errors in GraphQL responses, by extensions.code',
  });

  const plugin: ApolloServerPlugin = {
    async requestDidStart({ contextValue }) {
      const startedAt = performance.now();
      const span = tracer?.startSpan('graphql');
      if (span) operationSpans.set(contextValue, span);
      return {
        async didResolveOperation({ operationName, operation }) {
          const type = operation?.operation ?? 'unknown';
          span?.updateName(`${type}${operationName ? ` ${operationName}` : ''}`);
          span?.setAttribute('graphql.operation.type', type);
          if (operationName) span?.setAttribute('graphql.operation.name', operationName);
        },
        async willSendResponse({ response, operationName, operation }) {
          const answered = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          const codes = [...new Set((answered ?? []).map((error) => codeOf(error)))];
          if (span) {
            if (codes.length > 0) {
              span.setAttribute('graphql.error.codes', codes);
              span.setStatus({ code: SpanStatusCode.ERROR, message: codes.join(', ') });
            }
            span.end();
          }
          const attributes = {
            'graphql.operation.name': named(operationName),
            'graphql.operation.type': operation?.operation ?? 'unknown',
          };
          duration?.record((performance.now() - startedAt) / 1000, {
            ...attributes,
            outcome: codes.length ? 'error' : 'ok',
          });
          for (const error of answered ?? []) {
            errors?.add(1, { ...attributes, 'graphql.error.code': codeOf(error) });
          }
        },
      };
    },
  };

  const traceRootFields = (schema: GraphQLSchema): GraphQLSchema => {
    if (!tracer) return schema;
    return mapSchema(schema, {
      [MapperKind.ROOT_FIELD]: (field, fieldName, typeName) => {
        const resolve = field.resolve ?? defaultFieldResolver;
        return {
          ...field,
          resolve: (source, args, contextValue: object, info) => {
            const operation = operationSpans.get(contextValue);
            const parent = operation ? trace.setSpan(context.active(), operation) : context.active();
            const attributes = { 'graphql.field.name': fieldName, 'graphql.field.type': String(info.returnType) };
            return tracer.startActiveSpan(`${typeName}.${fieldName}`, { attributes }, parent, (span) =>
              endSpanAfter(span, async () => resolve(source, args, contextValue, info)),
            );
          },
        };
      },
    });
  };

  return { plugin, traceRootFields };
};

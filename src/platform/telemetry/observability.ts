/**
 * What a process hands to its parts once telemetry is started: Apollo's plugin and the traced schema, the job
 * observer, the gauges. With telemetry off every part is the identity: no plugin, the same schema, no observer.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { trace } from '@opentelemetry/api';
import type { GraphQLSchema } from 'graphql';
import type { DatabasePool } from 'slonik';
import { observeJobQueue, observePool, observeUnknownOperations } from './gauges.ts';
import { graphqlObservability } from './graphql.ts';
import { jobObserver, type JobObserver } from './jobs.ts';
import type { Telemetry } from './telemetry.ts';

export type Observability = {
  /** Apollo plugins to add (none when telemetry is off). */
  readonly plugins: readonly ApolloServerPlugin[];
  /** The schema with its root fields traced (the same schema when tracing is off). */
  readonly schema: (schema: GraphQLSchema) => GraphQLSchema;
  /** For the job worker (undefined when telemetry is off). */
  readonly jobs: JobObserver | undefined;
  /** Registers the process's gauges: its pool, the job queue (a process running jobs), unknown operations (API). */
  observe(parts: {
    readonly pool: DatabasePool;
    readonly jobQueue: boolean;
    readonly unknownOperations?: () => number;
  }): void;
};

const OFF: Observability = { plugins: [], schema: (schema) => schema, jobs: undefined, observe: () => undefined };

export const observabilityOf = (telemetry: Telemetry): Observability => {
  if (!telemetry.tracing && !telemetry.meter) return OFF;
  const tracer = telemetry.tracing ? trace.getTracer('kingdom') : null;
  const { meter } = telemetry;
  const graphql = graphqlObservability({ tracer, meter });
  return {
    plugins: [graphql.plugin],
    schema: graphql.traceRootFields,
    jobs: jobObserver({ tracer, meter }),
    observe: ({ pool, jobQueue, unknownOperations }) => {
      if (!meter) return;
      observePool(meter, pool);
      if (jobQueue) observeJobQueue(meter, pool);
      if (unknownOperations) observeUnknownOperations(meter, unknownOperations);
    },
  };
};

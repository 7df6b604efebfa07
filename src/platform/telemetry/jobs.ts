/**
 * Background jobs in traces and metrics. Enqueued inside a traced request, a job gets a span of its own (`<task>
 * publish`) whose trace context rides in the job's payload (`Envelope.traceContext`, W3C traceparent); the worker
 * runs the task in a span (`<task> process`) that continues that trace, so one trace goes from the HTTP request
 * through its SQL to the job's run in another process. Metrics: jobs run, failed, their duration and how long each
 * waited past its due time before a worker took it.
 */
import { context, propagation, ROOT_CONTEXT, SpanKind, trace, type Meter, type Tracer } from '@opentelemetry/api';
import type { Job, WorkerEvents } from 'graphile-worker';
import type { Envelope } from '../../core/messages.ts';
import { endSpanAfter } from './spans.ts';

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
const messaging = (task: string, envelope: Envelope) => ({
  'messaging.system': 'graphile-worker',
  'messaging.destination.name': task,
  'messaging.message.id': envelope.id,
});

/**
 * Runs `enqueue` in a `<task> publish` span, handing it the envelope with the span's trace context, when there is a
 * trace to continue (a traced request or job). Otherwise (tracing off, or no trace) the envelope goes as it is: the
 * only cost is asking the API for the active span, which is nothing when no SDK is registered.
 */
export const enqueueInTrace = async (
  task: string,
  envelope: Envelope,
  enqueue: (envelope: Envelope) => Promise<void>,
): Promise<void> => {
  if (!trace.getActiveSpan()) return enqueue(envelope);
  const tracer = trace.getTracer('kingdom');
  const attributes = messaging(task, envelope);
  return tracer.startActiveSpan(`${task} publish`, { kind: SpanKind.PRODUCER, attributes }, (span) => {
    const traceContext: Record<string, string> = {};
    propagation.inject(context.active(), traceContext);
    return endSpanAfter(span, () => enqueue({ ...envelope, traceContext }));
  });
};

/** How the job worker reports each job (src/platform/jobs/worker-runner.ts). */
export type JobObserver = {
  /** Runs one job's task, in its span when tracing. */
  run(task: string, job: Job, envelope: Envelope, execute: () => Promise<void>): Promise<void>;
  /** Listens to the worker's events for the job metrics. */
  listen(events: WorkerEvents): void;
};

export const jobObserver = (options: { readonly tracer: Tracer | null; readonly meter: Meter | null }): JobObserver => {
  const { tracer, meter } = options;
  const ageAtStart = meter?.createHistogram('kingdom.jobs.age_at_start', {
    description: 'How long a job waited past its due time (run_at) before a worker started it',
    unit: 's',
    advice: { explicitBucketBoundaries: SECONDS },
  });
  const duration = meter?.createHistogram('kingdom.jobs.duration', {
    description: 'How long a job took to run (its count is the rate of jobs run)',
    unit: 's',
    advice: { explicitBucketBoundaries: SECONDS },
  });
  const failures = meter?.createCounter('kingdom.jobs.failures', {
    description: 'Failed job attempts; final="true" when the job has no attempt left (Query.failedJobs)',
  });

  return {
    run: async (task, job, envelope, execute) => {
      const startedAt = performance.now();
      let outcome = 'ok';
      const measured = async () => {
        try {
          await execute();
        } catch (error) {
          outcome = 'error';
          throw error;
        } finally {
          duration?.record((performance.now() - startedAt) / 1000, { task, outcome });
        }
      };
      if (!tracer) return measured();
      const parent = envelope.traceContext ? propagation.extract(ROOT_CONTEXT, envelope.traceContext) : ROOT_CONTEXT;
      const attributes = {
        ...messaging(task, envelope),
        'kingdom.job.id': job.id,
        'kingdom.job.attempt': job.attempts,
      };
      return tracer.startActiveSpan(`${task} process`, { kind: SpanKind.CONSUMER, attributes }, parent, (span) =>
        endSpanAfter(span, measured),
      );
    },
    listen: (events) => {
      if (!meter) return;
      events.on('job:start', ({ job }) => {
        ageAtStart?.record(Math.max(0, Date.now() - new Date(job.run_at).getTime()) / 1000, {
          task: job.task_identifier,
        });
      });
      events.on('job:error', ({ job }) => {
        failures?.add(1, { task: job.task_identifier, final: String(job.attempts >= job.max_attempts) });
      });
    },
  };
};

import { SpanStatusCode, type Span } from '@opentelemetry/api';

/**
 * Runs `work` inside `span` and ends the span however it finishes: a failure is recorded on the span (exception and
 * ERROR status) and rethrown, so the trace shows where a request or job failed without changing what the caller sees.
 */
export const endSpanAfter = async <T>(span: Span, work: () => Promise<T>): Promise<T> => {
  try {
    return await work();
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
};

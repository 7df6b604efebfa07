import { z } from 'zod';
import type { Envelope } from '../../core/messages.ts';
import type { Logger } from '../../core/ports.ts';
import type { BoundTask, BoundTasks } from '../../core/tasks.ts';

/**
 * The parts of Lambda's SQS event this reads, and its partial batch response. Structurally the `SQSEvent` and
 * `SQSBatchResponse` of @types/aws-lambda (the tests check it), declared here because production code may not
 * import a devDependency, even for types.
 */
export type SqsRecord = {
  readonly messageId: string;
  readonly body: string;
  readonly attributes: { readonly ApproximateReceiveCount: string };
};
export type SqsEvent = { readonly Records: readonly SqsRecord[] };
export type SqsBatchResponse = { batchItemFailures: Array<{ itemIdentifier: string }> };

/** The body `sqs-publisher.ts` sends. A queue is an open door: nothing in it is trusted before this check. */
const messageSchema = z.object({
  task: z.string().min(1).max(80),
  envelope: z.object({
    id: z.uuid(),
    event: z.looseObject({ type: z.string().min(1) }),
    occurredAt: z.iso.datetime({ offset: true }),
  }),
});

type Decoded =
  | { readonly ok: true; readonly task: string; readonly envelope: Envelope; readonly run: BoundTask['run'] }
  | { readonly ok: false; readonly task?: string; readonly reason: string };

const parseJson = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
};

const decode = (record: SqsRecord, tasks: BoundTasks): Decoded => {
  const json = parseJson(record.body);
  if (json === undefined) return { ok: false, reason: 'the body is not JSON' };
  const parsed = messageSchema.safeParse(json);
  if (!parsed.success) {
    // Paths and codes only: zod's messages may quote the values, and a body may hold personal data.
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.code}`);
    return { ok: false, reason: `the body is not a task message (${issues.join('; ')})` };
  }
  const { task, envelope } = parsed.data;
  // hasOwn: a task named `constructor` or `toString` must not reach Object.prototype.
  const bound = Object.hasOwn(tasks, task) ? tasks[task] : undefined;
  if (!bound) return { ok: false, task, reason: 'no such task' };
  if (bound.on !== envelope.event.type)
    return { ok: false, task, reason: `the task runs on ${bound.on}, not this event` };
  return { ok: true, task, envelope, run: bound.run };
};

/**
 * The Lambda side of EXTERNAL_BUS=sqs: runs each record's task and answers with a partial batch response, so only
 * the records that failed come back (after the visibility timeout) and, past maxReceiveCount, go to the DLQ.
 * A malformed record fails the same way: retrying it is useless, but the DLQ is where someone will look.
 * Records run concurrently: tasks are idempotent and each has its own unit of work.
 */
export const createSqsHandler =
  (tasks: BoundTasks, logger: Logger) =>
  async (event: SqsEvent): Promise<SqsBatchResponse> => {
    const runRecord = async (record: SqsRecord): Promise<void> => {
      const where = { messageId: record.messageId, receiveCount: record.attributes.ApproximateReceiveCount };
      const decoded = decode(record, tasks);
      if (!decoded.ok) {
        logger.error({ ...where, task: decoded.task }, `rejected an SQS message: ${decoded.reason}`);
        throw new Error(decoded.reason);
      }
      try {
        await decoded.run(decoded.envelope);
      } catch (error) {
        logger.error({ ...where, task: decoded.task, envelopeId: decoded.envelope.id, err: error }, 'a task failed');
        throw error;
      }
      logger.debug({ ...where, task: decoded.task, envelopeId: decoded.envelope.id }, 'ran a task');
    };
    const outcomes = await Promise.allSettled(event.Records.map(runRecord));
    return {
      batchItemFailures: event.Records.flatMap((record, index) =>
        outcomes[index]?.status === 'rejected' ? [{ itemIdentifier: record.messageId }] : [],
      ),
    };
  };

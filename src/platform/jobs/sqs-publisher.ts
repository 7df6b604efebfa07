import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Envelope } from '../../core/messages.ts';

/** What travels on the queue: the task to run and the event it runs for. `sqs-handler.ts` reads it back. */
export type SqsTaskMessage = { readonly task: string; readonly envelope: Envelope };

export type SqsPublisher = { publish(task: string, envelope: Envelope): Promise<void> };

export type SqsPublisherOptions = {
  /** Tests pass a mocked client; production builds one (credentials from the usual AWS chain). */
  readonly client?: SQSClient;
  readonly queueUrl: string;
  /** Default: the SDK's own lookup (AWS_REGION in the environment). */
  readonly region?: string;
};

/**
 * Forwards one outbox job to SQS. SQS cannot join the Postgres transaction, so the worker publishes only after the
 * job committed; errors propagate so graphile-worker retries the forwarding job (a retry may send twice, which the
 * tasks' inbox absorbs, and a FIFO queue drops within its five-minute deduplication window).
 */
export const createSqsPublisher = (options: SqsPublisherOptions): SqsPublisher => {
  const client = options.client ?? new SQSClient(options.region ? { region: options.region } : {});
  const fifo = options.queueUrl.endsWith('.fifo');
  return {
    publish: async (task, envelope) => {
      const message: SqsTaskMessage = { task, envelope };
      await client.send(
        new SendMessageCommand({
          QueueUrl: options.queueUrl,
          MessageBody: JSON.stringify(message),
          // Visible in the console and to filters without parsing the body.
          MessageAttributes: {
            task: { DataType: 'String', StringValue: task },
            messageId: { DataType: 'String', StringValue: envelope.id },
          },
          // One group per task keeps each task's messages in order without serialising the other tasks.
          ...(fifo ? { MessageGroupId: task, MessageDeduplicationId: `${task}:${envelope.id}` } : {}),
        }),
      );
    },
  };
};

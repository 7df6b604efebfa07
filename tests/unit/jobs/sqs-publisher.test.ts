import { SendMessageCommand, SQSClient, SQSServiceException } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { createSqsPublisher } from '../../../src/platform/jobs/sqs-publisher.ts';
import { envelopeFor } from './sqs-records.ts';

const STANDARD_QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/kingdom-tasks';
const FIFO_QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/kingdom-tasks.fifo';

describe('the SQS publisher (worker side of EXTERNAL_BUS=sqs)', () => {
  const sqs = mockClient(SQSClient);
  // Any SQSClient works: mockClient patches the class, so no credentials or network are involved.
  const client = new SQSClient({ region: 'eu-west-1' });

  beforeEach(() => {
    sqs.reset();
    sqs.on(SendMessageCommand).resolves({ MessageId: 'sqs-1' });
  });
  afterAll(() => sqs.restore());

  it('sends the task and its envelope as JSON to the configured queue, with both named in attributes', async () => {
    const envelope = envelopeFor('OutOfStock', { sku: 'RED-CHAIR' });

    await createSqsPublisher({ client, queueUrl: STANDARD_QUEUE }).publish('notifyOutOfStock', envelope);

    const calls = sqs.commandCalls(SendMessageCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]!.args[0].input;
    expect(input.QueueUrl).toBe(STANDARD_QUEUE);
    expect(JSON.parse(input.MessageBody!)).toEqual({ task: 'notifyOutOfStock', envelope });
    expect(input.MessageAttributes).toEqual({
      task: { DataType: 'String', StringValue: 'notifyOutOfStock' },
      messageId: { DataType: 'String', StringValue: envelope.id },
    });
  });

  it('sets no FIFO fields on a standard queue (SQS rejects MessageGroupId there)', async () => {
    await createSqsPublisher({ client, queueUrl: STANDARD_QUEUE }).publish(
      'notifyOutOfStock',
      envelopeFor('OutOfStock'),
    );

    const input = sqs.commandCalls(SendMessageCommand)[0]!.args[0].input;
    expect(input).not.toHaveProperty('MessageGroupId');
    expect(input).not.toHaveProperty('MessageDeduplicationId');
  });

  it('on a .fifo queue, groups by task and deduplicates by (task, message id)', async () => {
    const envelope = envelopeFor('OutOfStock');

    await createSqsPublisher({ client, queueUrl: FIFO_QUEUE }).publish('notifyOutOfStock', envelope);

    const input = sqs.commandCalls(SendMessageCommand)[0]!.args[0].input;
    expect(input.QueueUrl).toBe(FIFO_QUEUE);
    expect(input.MessageGroupId).toBe('notifyOutOfStock');
    expect(input.MessageDeduplicationId).toBe(`notifyOutOfStock:${envelope.id}`);
  });

  it('rejects when SQS refuses, so the forwarding job is retried', async () => {
    const refusal = new SQSServiceException({
      name: 'QueueDoesNotExist',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message: 'The specified queue does not exist.',
    });
    sqs.on(SendMessageCommand).rejects(refusal);

    await expect(
      createSqsPublisher({ client, queueUrl: STANDARD_QUEUE }).publish('notifyOutOfStock', envelopeFor('OutOfStock')),
    ).rejects.toBe(refusal);
  });

  it('builds its own client for the given region when none is passed', async () => {
    await createSqsPublisher({ queueUrl: STANDARD_QUEUE, region: 'eu-west-1' }).publish(
      'notifyOutOfStock',
      envelopeFor('OutOfStock'),
    );

    const call = sqs.commandCalls(SendMessageCommand)[0]!;
    expect(await (call.thisValue as SQSClient).config.region()).toBe('eu-west-1');
  });
});

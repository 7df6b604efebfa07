import { randomUUID } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { Envelope } from '../../../src/core/messages.ts';

/** An envelope as the outbox writes it. */
export const envelopeFor = (type: string, fields: Record<string, unknown> = {}): Envelope => ({
  id: randomUUID(),
  event: { type, ...fields },
  occurredAt: new Date('2026-11-02T10:00:00.000Z').toISOString(),
});

/** The body the publisher sends. */
export const taskBody = (task: string, envelope: unknown): string => JSON.stringify({ task, envelope });

/** A record as Lambda's SQS event source delivers it; only messageId and body matter to the handler. */
export const sqsRecord = (body: string, messageId: string = randomUUID()): SQSRecord => ({
  messageId,
  receiptHandle: `receipt-${messageId}`,
  body,
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: '1793613600000',
    SenderId: 'AIDAEXAMPLE',
    ApproximateFirstReceiveTimestamp: '1793613600100',
  },
  messageAttributes: {},
  md5OfBody: 'not-checked-by-the-handler',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:kingdom-tasks',
  awsRegion: 'eu-west-1',
});

export const sqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

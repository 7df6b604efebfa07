import { jest } from '@jest/globals';
import type { SQSHandler } from 'aws-lambda';
import type { DatabasePool } from 'slonik';
import type { EmailSender } from '../../../src/core/ports.ts';
import { envelopeFor, sqsEvent, sqsRecord, taskBody } from './sqs-records.ts';

// The real pool and SMTP transport are replaced before src/lambda.ts loads, so the test sees every attempt to
// open either (and nothing reaches a network).
const createDatabasePool = jest.fn(async (_url: string, _options?: object) => ({}) as DatabasePool);
const createSmtpEmailSender = jest.fn((_options: { url: string; from: string }): EmailSender => ({
  send: async () => {},
}));
jest.unstable_mockModule('../../../src/platform/database/pool.ts', () => ({ createDatabasePool }));
jest.unstable_mockModule('../../../src/platform/email/smtp-email-sender.ts', () => ({ createSmtpEmailSender }));

const VARIABLES = [
  'NODE_ENV',
  'DATABASE_URL',
  'PUBLIC_URL',
  'LOG_LEVEL',
  'EMAIL_TRANSPORT',
  'SMTP_URL',
  'EMAIL_FROM',
] as const;
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
const setEnvironment = (values: Partial<Record<(typeof VARIABLES)[number], string>>): void => {
  for (const name of VARIABLES) {
    if (values[name] === undefined) delete process.env[name];
    else process.env[name] = values[name];
  }
};
setEnvironment({ LOG_LEVEL: 'silent' });
afterAll(() => {
  for (const name of VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

const { handler } = await import('../../../src/lambda.ts');
// Checked by tsc: our own event types are what Lambda's SQS trigger passes and expects back (@types/aws-lambda).
const _asLambdaSeesIt: SQSHandler = handler;

describe('the Lambda entry point', () => {
  it('loads without configuration and opens nothing at import (the first invocation does)', () => {
    expect(typeof handler).toBe('function');
    expect(createDatabasePool).not.toHaveBeenCalled();
  });

  it('refuses to start without DATABASE_URL or PUBLIC_URL, whatever NODE_ENV, and lets the next invocation try again', async () => {
    setEnvironment({ LOG_LEVEL: 'silent', NODE_ENV: 'development' });
    await expect(handler(sqsEvent())).rejects.toThrow(/DATABASE_URL.*\n.*PUBLIC_URL/);
    setEnvironment({ LOG_LEVEL: 'silent', NODE_ENV: 'production', PUBLIC_URL: 'https://shop.example.com' });
    await expect(handler(sqsEvent())).rejects.toThrow(/DATABASE_URL/);
    setEnvironment({ LOG_LEVEL: 'silent', DATABASE_URL: 'postgres://kingdom@db.internal/kingdom' });
    await expect(handler(sqsEvent())).rejects.toThrow(/PUBLIC_URL/);
    expect(createDatabasePool).not.toHaveBeenCalled();
  });

  it('builds the application once per instance, with a small pool and the configured mail transport', async () => {
    setEnvironment({
      LOG_LEVEL: 'silent',
      DATABASE_URL: 'postgres://kingdom@db.internal/kingdom',
      PUBLIC_URL: 'https://shop.example.com',
      EMAIL_TRANSPORT: 'smtp',
      SMTP_URL: 'smtp://mail.internal:587',
      EMAIL_FROM: 'Kingdom <tasks@kingdom.example>',
    });
    const poison = sqsRecord(taskBody('launchRockets', envelopeFor('OutOfStock')));

    await expect(handler(sqsEvent(poison))).resolves.toEqual({
      batchItemFailures: [{ itemIdentifier: poison.messageId }],
    });
    await expect(handler(sqsEvent())).resolves.toEqual({ batchItemFailures: [] });

    expect(createDatabasePool).toHaveBeenCalledTimes(1);
    expect(createDatabasePool).toHaveBeenCalledWith(
      'postgres://kingdom@db.internal/kingdom',
      expect.objectContaining({ maxPoolSize: 2 }),
    );
    expect(createSmtpEmailSender).toHaveBeenCalledTimes(1);
    expect(createSmtpEmailSender).toHaveBeenCalledWith({
      url: 'smtp://mail.internal:587',
      from: 'Kingdom <tasks@kingdom.example>',
    });
  });
});

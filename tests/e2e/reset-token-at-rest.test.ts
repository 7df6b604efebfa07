/**
 * No password reset token at rest, on real Postgres with the real worker: the mailing job mints the token when it
 * sends the email, so neither graphile-worker's tables, nor the SQS messages the worker forwards, nor a failed job
 * (Query.failedJobs) ever holds it. Each test takes the token from the email, proves it works (or would have), and
 * greps everything the queue held for it.
 */
import { jest } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { sql } from 'slonik';
import { z } from 'zod';
import { createSqsHandler } from '../../src/platform/jobs/sqs-handler.ts';
import { createRecordingLogger } from '../support/graphql.ts';
import { RequestPasswordResetDocument, ResetPasswordDocument, SignUpDocument } from '../generated/graphql.ts';
import { graphql } from '../generated/index.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { eventually, exitWithin, killLeftoverWorkers, spawnWorker } from './support/worker-process.ts';

jest.setTimeout(60_000);

const PUBLIC_URL = 'https://app.kingdom.test';
const PASSWORD = 'correct horse battery';
const SIGN_UP = SignUpDocument;
const REQUEST_RESET = RequestPasswordResetDocument;
const RESET = ResetPasswordDocument;
const FAILED_JOBS = graphql(`
  query ResetTokenFailedJobs {
    failedJobs {
      edges {
        node {
          task
          payload
          lastError
        }
      }
    }
  }
`);

let server: TestServer;
beforeAll(async () => {
  // The worker runs in its own process here (or not at all), so the job waits in the queue until a test runs it;
  // one attempt per job, so a failing one is listed in failedJobs at once.
  server = await startTestServer({
    WORKER_IN_API: 'false',
    PUBLIC_URL,
    JOB_MAX_ATTEMPTS: '1',
    PASSWORD_RESET_MIN_RESPONSE_MS: '0',
  });
});
afterAll(() => server.close());
afterEach(() => killLeftoverWorkers());

let accounts = 0;
/** A new account that has asked for a reset: its mailing job is queued, not run. */
const accountAwaitingReset = async (): Promise<string> => {
  const email = `at-rest-${(accounts += 1)}@example.com`;
  const signedUp = await server.graphql(SIGN_UP, { input: { email, password: PASSWORD, name: 'Pat' } });
  expect(signedUp.body.errors).toBeUndefined();
  expect((await server.graphql(REQUEST_RESET, { input: { email } })).body).toEqual({
    data: { requestPasswordReset: true },
  });
  return email;
};

/** Every row of every graphile-worker table, as text: what a database dump or a curious operator would see. */
const jobTables = async (): Promise<string> => {
  const tables = await server.pool.anyFirst(sql.type(z.object({ name: z.string() }))`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = 'graphile_worker' AND table_type = 'BASE TABLE' ORDER BY table_name`);
  expect(tables).toContain('_private_jobs');
  const dumps = await Promise.all(
    tables.map((table) =>
      server.pool.oneFirst(sql.type(z.object({ dump: z.string() }))`
        SELECT coalesce(string_agg(row_to_json(t)::text, E'\n'), '') AS dump
        FROM ${sql.identifier(['graphile_worker', table])} AS t`),
    ),
  );
  return dumps.join('\n');
};

const queuedResetJobs = () =>
  server.pool.oneFirst(sql.type(z.object({ count: z.number() }))`
    SELECT count(*) AS count FROM graphile_worker.jobs WHERE task_identifier = 'sendPasswordResetEmail'`);

/** The token in the reset link of an email body. */
const tokenIn = (body: string): string => {
  const token = /reset-password\?token=([A-Za-z0-9_-]{43})/.exec(body)?.[1];
  if (!token) throw new Error(`no reset link in: ${body}`);
  return token;
};

/** A message body as SMTP carries it (quoted-printable, which breaks long lines) back to its text. */
const fromQuotedPrintable = (data: string): string =>
  data.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

const mailedToken = async (email: string): Promise<string> =>
  tokenIn(
    await eventually(
      () =>
        server.pool
          .maybeOneFirst(
            sql.type(z.object({ body: z.string() }))`
          SELECT body FROM sent_emails WHERE recipient = ${email} ORDER BY id DESC LIMIT 1`,
          )
          .then((body) => body ?? undefined),
      `the reset email to ${email}`,
    ),
  );

const resetsThePassword = async (token: string) => {
  const response = await server.graphql(RESET, { input: { token, newPassword: 'a brand new secret' } });
  expect(response.body.errors).toBeUndefined();
};

test('graphile-worker: the queued job holds no token; the worker mints it when it mails the link', async () => {
  const email = await accountAwaitingReset();
  expect(await queuedResetJobs()).toBe(1);
  const queued = await jobTables();

  const worker = await spawnWorker({ DATABASE_URL: server.database.url, PUBLIC_URL });
  const token = await mailedToken(email);
  await eventually(async () => ((await queuedResetJobs()) === 0 ? true : undefined), 'the job to complete');
  worker.child.kill('SIGTERM');
  await exitWithin(worker, 10_000);

  expect(queued).toContain('sendPasswordResetEmail');
  expect(queued).not.toContain(token);
  expect(await jobTables()).not.toContain(token);
  expect(JSON.stringify(worker.logs) + worker.stderr.join('')).not.toContain(token);
  await resetsThePassword(token);
});

test('SQS: the message the worker forwards holds no token; the Lambda side mints it when it mails the link', async () => {
  const email = await accountAwaitingReset();
  // A stand-in for SQS's JSON protocol: records SendMessage bodies, answers with their MD5 (the SDK checks it).
  const bodies: string[] = [];
  const sqs = createHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const { MessageBody } = JSON.parse(Buffer.concat(chunks).toString()) as { MessageBody: string };
      bodies.push(MessageBody);
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(
        JSON.stringify({
          MessageId: randomUUID(),
          MD5OfMessageBody: createHash('md5').update(MessageBody).digest('hex'),
        }),
      );
    });
  });
  sqs.listen(0, '127.0.0.1');
  await once(sqs, 'listening');
  try {
    const worker = await spawnWorker({
      DATABASE_URL: server.database.url,
      EXTERNAL_BUS: 'sqs',
      SQS_QUEUE_URL: `http://127.0.0.1:${(sqs.address() as AddressInfo).port}/000000000000/kingdom-jobs`,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'e2e',
      AWS_SECRET_ACCESS_KEY: 'e2e',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    await eventually(async () => (bodies.length === 1 ? true : undefined), 'the job to be forwarded to SQS');
    worker.child.kill('SIGTERM');
    await exitWithin(worker, 10_000);

    // What AWS Lambda would run for that message: the same tasks, through the same handler.
    const lambda = createSqsHandler(server.application.tasks, createRecordingLogger());
    const record = { messageId: randomUUID(), body: bodies[0]!, attributes: { ApproximateReceiveCount: '1' } };
    expect(await lambda({ Records: [record] })).toEqual({ batchItemFailures: [] });
    const token = await mailedToken(email);

    expect(JSON.parse(bodies[0]!)).toMatchObject({ task: 'sendPasswordResetEmail' });
    expect(bodies.join('\n')).not.toContain(token);
    expect(await jobTables()).not.toContain(token);
    await resetsThePassword(token);
  } finally {
    sqs.closeAllConnections();
    sqs.close();
  }
});

test('failedJobs: a reset email that could not be sent leaves a failed job holding no token', async () => {
  const email = await accountAwaitingReset();
  // An SMTP server that takes the whole message (so the test sees the token the attempt minted), then refuses it.
  const messages: string[] = [];
  const sockets = new Set<Socket>();
  const smtp = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    const reply = (line: string) => socket.write(`${line}\r\n`);
    let data: string[] | null = null;
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('utf8');
      for (let end = buffered.indexOf('\r\n'); end >= 0; end = buffered.indexOf('\r\n')) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (data !== null) {
          if (line !== '.') data.push(line);
          else {
            messages.push(data.join('\n'));
            data = null;
            reply('451 4.3.0 try again later');
          }
        } else if (/^EHLO/i.test(line)) reply('250 refusing.smtp.test');
        else if (/^DATA/i.test(line)) {
          data = [];
          reply('354 go ahead');
        } else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
        else reply('250 ok');
      }
    });
    reply('220 refusing.smtp.test ESMTP');
  });
  smtp.listen(0, '127.0.0.1');
  await once(smtp, 'listening');
  try {
    const worker = await spawnWorker({
      DATABASE_URL: server.database.url,
      PUBLIC_URL,
      EMAIL_TRANSPORT: 'smtp',
      SMTP_URL: `smtp://127.0.0.1:${(smtp.address() as AddressInfo).port}`,
    });
    const failed = await eventually(async () => {
      const edges = (await server.admin(FAILED_JOBS)).body.data?.failedJobs.edges ?? [];
      return edges.length > 0 ? edges.map((edge) => edge.node) : undefined;
    }, 'the reset email job to fail');
    worker.child.kill('SIGTERM');
    await exitWithin(worker, 10_000);

    expect(messages).toHaveLength(1);
    const token = tokenIn(fromQuotedPrintable(messages[0]!));
    expect(failed).toEqual([
      { task: 'sendPasswordResetEmail', payload: expect.any(String), lastError: expect.any(String) },
    ]);
    expect(JSON.parse(failed[0]!.payload!)).toMatchObject({ event: { type: 'PasswordResetRequested', email } });
    expect(JSON.stringify(failed)).not.toContain(token);
    expect(await jobTables()).not.toContain(token);
    // The attempt that minted it did not commit: the token it mailed (and the server refused) resets nothing.
    const refused = await server.graphql(RESET, { input: { token, newPassword: 'a brand new secret' } });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  } finally {
    for (const socket of sockets) socket.destroy();
    smtp.close();
  }
});

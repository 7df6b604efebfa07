import { sql } from 'slonik';
import { z } from 'zod';
import { bootstrap } from '../../../src/bootstrap.ts';
import type { Envelope } from '../../../src/core/messages.ts';
import type { PasswordResetRequested } from '../../../src/identity/domain/events.ts';
import {
  createPasswordResetTokenFactory,
  createRefreshTokenFactory,
} from '../../../src/identity/adapters/refresh-tokens.ts';
import { FAKE_IDENTITY_POLICY } from '../../fakes/identity/fake-identity-dependencies.ts';
import { FakePasswordHasher } from '../../fakes/identity/fake-password-hasher.ts';
import { FakeAccessTokenIssuer } from '../../fakes/identity/fake-tokens.ts';
import { createPgMemDatabase, type PgMemDatabase } from '../../support/pg-mem.ts';
import { createRecordingLogger } from '../../support/graphql.ts';
import { testConfig } from '../../support/config.ts';

// Account recovery on the real adapters (slonik, pg-mem): the request's outbox enqueues the mailing job in its
// transaction, and bootstrap's `tasks` run it as the worker would. (Real Postgres and worker: tests/e2e.)

let database: PgMemDatabase;
beforeEach(async () => {
  database = await createPgMemDatabase();
});
afterEach(async () => database.end());

const application = () =>
  bootstrap({
    logger: createRecordingLogger(),
    pool: database.pool,
    config: testConfig({ PUBLIC_URL: 'https://kingdom.example.com/' }),
    // The reset request's response floor is a wait, which these tests need not sit through.
    sleep: async () => undefined,
    overrides: {
      identity: {
        adapters: {
          hasher: new FakePasswordHasher(),
          accessTokens: new FakeAccessTokenIssuer(),
          refreshTokens: createRefreshTokenFactory(),
          resetTokens: createPasswordResetTokenFactory(),
          policy: FAKE_IDENTITY_POLICY,
        },
      },
    },
  });

const signedUp = async () => {
  const app = application();
  const { refreshToken } = await app.bus.execute({
    type: 'SignUp',
    email: 'ada@example.com',
    password: 'correct horse',
    name: 'Ada',
  });
  return { ...app, refreshToken };
};

const mailJobs = () => database.jobs.filter((job) => job.task === 'sendPasswordResetEmail');
const sentEmails = () =>
  database.pool.any(sql.type(z.object({ recipient: z.string(), subject: z.string(), body: z.string() }))`
    SELECT recipient, subject, body FROM sent_emails ORDER BY id`);
const tokenIn = (body: string): string => {
  const match = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(body);
  if (!match?.[1]) throw new Error(`no reset link in: ${body}`);
  return match[1];
};

describe('account recovery on the database', () => {
  it('a request for a known account enqueues one mailing job, in its transaction; run as the worker would, it mails the link once', async () => {
    const { bus, tasks } = await signedUp();

    await bus.execute({ type: 'RequestPasswordReset', email: 'Ada@Example.com' });

    expect(mailJobs()).toHaveLength(1);
    const envelope = mailJobs()[0]!.payload as Envelope;
    expect(mailJobs()[0]!.jobKey).toBe(`sendPasswordResetEmail:${envelope.id}`);
    await tasks.sendPasswordResetEmail!.run(envelope);
    await tasks.sendPasswordResetEmail!.run(envelope);
    const emails = await sentEmails();
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ recipient: 'ada@example.com', subject: 'Reset your Kingdom password' });
    expect(emails[0]!.body).toContain('https://kingdom.example.com/reset-password?token=');
    expect(tokenIn(emails[0]!.body)).toHaveLength(43);
  });

  it('the mailing job’s payload names the reset and holds no token; the token is minted when the email goes out', async () => {
    const { bus, tasks } = await signedUp();
    await bus.execute({ type: 'RequestPasswordReset', email: 'ada@example.com' });
    const envelope = mailJobs()[0]!.payload as Envelope<PasswordResetRequested>;
    const [row] = database.db.public.many('SELECT id, token_hash FROM password_resets');

    expect(Object.keys(envelope.event).sort()).toEqual(['email', 'expiresAt', 'resetId', 'type', 'userId']);
    expect(row).toEqual({ id: envelope.event.resetId, token_hash: null });

    await tasks.sendPasswordResetEmail!.run(envelope);
    const token = tokenIn((await sentEmails())[0]!.body);
    expect(JSON.stringify(database.jobs)).not.toContain(token);
    expect(database.db.public.many('SELECT token_hash FROM password_resets')).toEqual([
      { token_hash: createPasswordResetTokenFactory().hash(token) },
    ]);
  });

  it('an unknown email enqueues nothing and stores nothing', async () => {
    const { bus } = await signedUp();

    await expect(bus.execute({ type: 'RequestPasswordReset', email: 'nobody@example.com' })).resolves.toBe(true);

    expect(database.jobs).toEqual([]);
    expect(database.db.public.many('SELECT * FROM password_resets')).toEqual([]);
  });

  it('the mailed token resets the password once, signs in, and ends the older sessions', async () => {
    const { bus, tasks, refreshToken } = await signedUp();
    await bus.execute({ type: 'RequestPasswordReset', email: 'ada@example.com' });
    await tasks.sendPasswordResetEmail!.run(mailJobs()[0]!.payload as Envelope);
    const token = tokenIn((await sentEmails())[0]!.body);

    const signedIn = await bus.execute({ type: 'ResetPassword', token, newPassword: 'a brand new secret' });

    expect(signedIn.refreshToken).toHaveLength(43);
    await expect(
      bus.execute({ type: 'LogIn', email: 'ada@example.com', password: 'a brand new secret' }),
    ).resolves.toMatchObject({
      userId: signedIn.userId,
    });
    await expect(
      bus.execute({ type: 'LogIn', email: 'ada@example.com', password: 'correct horse' }),
    ).rejects.toMatchObject({
      name: 'InvalidCredentials',
    });
    await expect(bus.execute({ type: 'RefreshSession', refreshToken })).rejects.toMatchObject({
      name: 'InvalidRefreshToken',
    });
    await expect(bus.execute({ type: 'RefreshSession', refreshToken: signedIn.refreshToken })).resolves.toMatchObject({
      userId: signedIn.userId,
    });
    await expect(
      bus.execute({ type: 'ResetPassword', token, newPassword: 'another new secret' }),
    ).rejects.toMatchObject({
      name: 'InvalidResetToken',
    });
  });

  it('a job whose link was superseded before it ran mails nothing', async () => {
    const { bus, tasks } = await signedUp();
    await bus.execute({ type: 'RequestPasswordReset', email: 'ada@example.com' });
    const envelope = mailJobs()[0]!.payload as Envelope<PasswordResetRequested>;
    const { userId } = envelope.event;
    await bus.execute({
      type: 'ChangePassword',
      userId,
      currentPassword: 'correct horse',
      newPassword: 'a brand new secret',
    });

    await tasks.sendPasswordResetEmail!.run(envelope);

    expect(await sentEmails()).toEqual([]);
  });
});

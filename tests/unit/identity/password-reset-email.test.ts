import type { Envelope } from '../../../src/core/messages.ts';
import { taskRoutes } from '../../../src/core/tasks.ts';
import type { PasswordResetRequested } from '../../../src/identity/domain/events.ts';
import { openPasswordReset, type PasswordReset } from '../../../src/identity/domain/password-reset.ts';
import { passwordResetEmail, passwordResetLink } from '../../../src/identity/domain/password-reset-email.ts';
import { identityTasks, sendPasswordResetEmail } from '../../../src/identity/services/tasks.ts';
import { FakeClock } from '../../fakes/identity/fake-identity-dependencies.ts';
import { FakeIdentityTaskUnitOfWork } from '../../fakes/identity/fake-identity-task-unit-of-work.ts';
import { FakeResetTokenFactory } from '../../fakes/identity/fake-tokens.ts';

const NOW = new Date('2026-11-25T12:00:00.000Z');
const THIRTY_MINUTES = 30 * 60 * 1000;
const USER_ID = '5d9f0a52-8a0e-4d3b-9d5c-1f2e3a4b5c6d';

const issued = (id = '7e6d5c4b-3a29-4817-9605-f4e3d2c1b0a9'): PasswordReset =>
  openPasswordReset({ id, userId: USER_ID, email: 'ada@example.com', now: NOW, ttlMs: THIRTY_MINUTES });

const envelopeOf = (
  token: PasswordReset,
  id = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d',
): Envelope<PasswordResetRequested> => ({
  id,
  event: token.events[0] as PasswordResetRequested,
  occurredAt: NOW.toISOString(),
});

describe('the reset link and email', () => {
  it('point at PUBLIC_URL/reset-password with the token as the query parameter, keeping a path and dropping a trailing slash', () => {
    expect(passwordResetLink('https://kingdom.example.com', 'abc_-9')).toBe(
      'https://kingdom.example.com/reset-password?token=abc_-9',
    );
    expect(passwordResetLink('https://shop.example.com/kingdom/', 'abc')).toBe(
      'https://shop.example.com/kingdom/reset-password?token=abc',
    );
    expect(passwordResetLink('http://127.0.0.1:4000', 'a+b/c=')).toBe(
      'http://127.0.0.1:4000/reset-password?token=a%2Bb%2Fc%3D',
    );
  });

  it('is one plain-text email to the account, with the link and when it stops working', () => {
    const email = passwordResetEmail({
      to: 'ada@example.com',
      token: 'abc',
      expiresAt: new Date(NOW.getTime() + THIRTY_MINUTES),
      publicUrl: 'https://k.example.com',
    });

    expect(email.to).toBe('ada@example.com');
    expect(email.subject).toBe('Reset your Kingdom password');
    expect(email.body).toContain('\nhttps://k.example.com/reset-password?token=abc\n');
    expect(email.body).toContain('until 2026-11-25 12:30 UTC');
  });
});

describe('the sendPasswordResetEmail task', () => {
  const setUp = (minutesLater = 1) => {
    const uow = new FakeIdentityTaskUnitOfWork();
    const clock = new FakeClock(new Date(NOW.getTime() + minutesLater * 60_000));
    const resetTokens = new FakeResetTokenFactory();
    const deps = { uow, clock, settings: { publicUrl: 'https://kingdom.example.com' }, resetTokens };
    return { uow, clock, deps, sent: uow.mailroom.sent };
  };

  it('runs on PasswordResetRequested', () => {
    expect(taskRoutes(identityTasks)({ type: 'PasswordResetRequested' })).toEqual(['sendPasswordResetEmail']);
  });

  it('mints the token, keeps only its hash, and mails the link to the account’s email once, however often the job is delivered', async () => {
    const { uow, deps, sent } = setUp();
    const token = issued();
    uow.resets.seed(token);

    await sendPasswordResetEmail(envelopeOf(token), deps);
    await sendPasswordResetEmail(envelopeOf(token), deps);

    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: 'ada@example.com' });
    expect(sent[0]?.body).toContain('https://kingdom.example.com/reset-password?token=reset-1');
    expect(uow.resets.rows.get(token.id)?.tokenHash).toBe('rh:reset-1');
    expect(deps.resetTokens.generated).toBe(1);
  });

  it('never mints a second token for a reset already mailed (another delivery of another envelope)', async () => {
    const { uow, deps, sent } = setUp();
    const token = issued();
    uow.resets.seed(token);

    await sendPasswordResetEmail(envelopeOf(token), deps);
    await sendPasswordResetEmail(envelopeOf(token, '1c2d3e4f-5061-4b7c-8d9e-0f1a2b3c4d5e'), deps);

    expect(sent).toHaveLength(1);
    expect(uow.resets.rows.get(token.id)?.tokenHash).toBe('rh:reset-1');
  });

  it.each([
    ['used', { usedAt: NOW }],
    ['superseded', { revokedAt: NOW }],
  ])('sends nothing for a link already %s when the job runs', async (_case, change) => {
    const { uow, deps, sent } = setUp();
    const token = issued();
    uow.resets.seed({ ...token, ...change });

    await sendPasswordResetEmail(envelopeOf(token), deps);

    expect(sent).toEqual([]);
  });

  it('sends nothing for a link that expired before the job ran, or that is gone', async () => {
    const late = setUp(30);
    const token = issued();
    late.uow.resets.seed(token);
    await sendPasswordResetEmail(envelopeOf(token), late.deps);

    const gone = setUp();
    await sendPasswordResetEmail(envelopeOf(issued('other')), gone.deps);

    expect([...late.sent, ...gone.sent]).toEqual([]);
  });

  it('sends nothing and keeps no hash when the mail fails; the retry mints a new token and mails it', async () => {
    const { uow, deps, sent } = setUp();
    const token = issued();
    uow.resets.seed(token);
    uow.mailroom.failSend(1, new Error('SMTP down'));

    await expect(sendPasswordResetEmail(envelopeOf(token), deps)).rejects.toThrow('SMTP down');
    expect(uow.resets.rows.get(token.id)?.tokenHash).toBeNull();
    await sendPasswordResetEmail(envelopeOf(token), deps);

    expect(sent).toHaveLength(1);
    expect(sent[0]?.body).toContain('token=reset-2');
    expect(uow.resets.rows.get(token.id)?.tokenHash).toBe('rh:reset-2');
  });
});

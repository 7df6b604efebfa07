import { ConcurrentUpdateError } from '../../../src/core/errors.ts';
import type { Email, EmailSender, Inbox, UnitOfWork } from '../../../src/core/ports.ts';

/** What a task that mails exactly once works on, in one transaction. */
export type Mailroom = { readonly inbox: Inbox; readonly mail: EmailSender };

/**
 * What every mailroom unit of work does, whatever stores it: the fake in tests/unit and the slonik unit of work with
 * the slonik inbox and the table email sender in tests/integration run this same suite.
 */
export type MailroomSubject = {
  readonly unitOfWork: UnitOfWork<Mailroom>;
  /** The mail committed so far, in sending order. */
  sent(): Promise<Email[]>;
  end(): Promise<void>;
};

const MESSAGE = '0b6f2c1e-3c1d-4a43-9b7e-6d2f1a0c9e11';
const OTHER = '5d0f7a9e-1b2c-4d3e-8f40-a1b2c3d4e5f6';
const email = (subject: string): Email => ({ to: 'ada@example.com', subject, body: `About ${subject}` });

export const describeMailroomUnitOfWorkContract = (makeSubject: () => Promise<MailroomSubject>): void => {
  let subject: MailroomSubject;
  /** A task: mails `subject` once per delivery of `message` to `consumer`. */
  const deliver = (message: string, consumer: string, subjectLine = 'restock') =>
    subject.unitOfWork.transaction('READ COMMITTED', async ({ inbox, mail }) => {
      if (!(await inbox.firstDelivery(message, consumer))) return false;
      await mail.send(email(subjectLine));
      return true;
    });

  beforeEach(async () => {
    subject = await makeSubject();
  });
  afterEach(async () => subject.end());

  it('commits the mail of a first delivery, and sends nothing for a repeat', async () => {
    expect(await deliver(MESSAGE, 'notifyOutOfStock')).toBe(true);
    expect(await deliver(MESSAGE, 'notifyOutOfStock')).toBe(false);

    expect(await subject.sent()).toEqual([email('restock')]);
  });

  it('answers a repeat within the same transaction as already delivered', async () => {
    const answers = await subject.unitOfWork.transaction('READ COMMITTED', async ({ inbox }) => [
      await inbox.firstDelivery(MESSAGE, 'notifyOutOfStock'),
      await inbox.firstDelivery(MESSAGE, 'notifyOutOfStock'),
    ]);

    expect(answers).toEqual([true, false]);
  });

  it('keeps consumers and messages apart', async () => {
    await deliver(MESSAGE, 'notifyOutOfStock', 'first');

    expect(await deliver(MESSAGE, 'auditOutOfStock', 'second')).toBe(true);
    expect(await deliver(OTHER, 'notifyOutOfStock', 'third')).toBe(true);
    expect((await subject.sent()).map((sent) => sent.subject)).toEqual(['first', 'second', 'third']);
  });

  it('keeps neither the delivery nor the mail of a task that failed, so its redelivery mails once', async () => {
    await expect(
      subject.unitOfWork.transaction('READ COMMITTED', async ({ inbox, mail }) => {
        await inbox.firstDelivery(MESSAGE, 'notifyOutOfStock');
        await mail.send(email('lost'));
        throw new Error('the transport failed');
      }),
    ).rejects.toThrow('the transport failed');

    expect(await subject.sent()).toEqual([]);
    expect(await deliver(MESSAGE, 'notifyOutOfStock')).toBe(true);
    expect(await subject.sent()).toEqual([email('restock')]);
  });

  it('re-runs the whole task when it lost a race, and commits only the last attempt', async () => {
    let attempts = 0;
    const result = await subject.unitOfWork.transaction('READ COMMITTED', async ({ mail }) => {
      attempts += 1;
      await mail.send(email(`attempt ${attempts}`));
      if (attempts === 1) throw new ConcurrentUpdateError('A delivery');
      return attempts;
    });

    expect(result).toBe(2);
    expect(await subject.sent()).toEqual([email('attempt 2')]);
  });
};

import type { Envelope } from '../../../src/core/messages.ts';
import { taskRoutes } from '../../../src/core/tasks.ts';
import type { OutOfStock } from '../../../src/inventory/domain/events.ts';
import type { NotificationSettings } from '../../../src/notifications/services/ports.ts';
import { notificationTasks, notifyOutOfStock } from '../../../src/notifications/services/tasks.ts';
import { FakeNotificationUnitOfWork } from '../../fakes/fake-notification-unit-of-work.ts';

const settings: NotificationSettings = {
  outOfStockRecipients: ['warehouse@example.com', 'buyer@example.com'],
  from: 'Kingdom <no-reply@example.com>',
};

const envelope = (id = '0b6f2c1e-3c1d-4a43-9b7e-6d2f1a0c9e11'): Envelope<OutOfStock> => ({
  id,
  event: { type: 'OutOfStock', sku: 'RED-CHAIR', orderId: 'order-42', quantity: 7 },
  occurredAt: '2026-11-25T12:00:00.000Z',
});

describe('notifying the warehouse of an out-of-stock order line (notifyOutOfStock)', () => {
  it('mails every recipient once, in one READ COMMITTED transaction that records the delivery', async () => {
    const uow = new FakeNotificationUnitOfWork();

    await notifyOutOfStock(envelope(), { uow, settings });

    expect(uow.sent.map(({ to, subject }) => [to, subject])).toEqual([
      ['warehouse@example.com', 'Out of stock: RED-CHAIR'],
      ['buyer@example.com', 'Out of stock: RED-CHAIR'],
    ]);
    expect(uow.isolations).toEqual(['READ COMMITTED']);
    expect([...uow.processed]).toEqual(['notifyOutOfStock/0b6f2c1e-3c1d-4a43-9b7e-6d2f1a0c9e11']);
  });

  it('when the same message is delivered twice, mails each recipient only once', async () => {
    const uow = new FakeNotificationUnitOfWork();

    await notifyOutOfStock(envelope(), { uow, settings });
    await notifyOutOfStock(envelope(), { uow, settings });

    expect(uow.sent.map((email) => email.to)).toEqual(['warehouse@example.com', 'buyer@example.com']);
  });

  it('mails again for another message about the same shortage: deliveries are told apart by id, not content', async () => {
    const uow = new FakeNotificationUnitOfWork();

    await notifyOutOfStock(envelope(), { uow, settings });
    await notifyOutOfStock(envelope('5d0f7a9e-1b2c-4d3e-8f40-a1b2c3d4e5f6'), { uow, settings });

    expect(uow.sent).toHaveLength(4);
  });

  it('when a duplicate delivery commits first, retries, finds it and sends nothing more', async () => {
    const uow = new FakeNotificationUnitOfWork();
    // The other delivery commits between this one's inbox check and its insert.
    uow.beforeNextInsert(() => notifyOutOfStock(envelope(), { uow, settings }));

    await notifyOutOfStock(envelope(), { uow, settings });

    expect(uow.sent.map((email) => email.to)).toEqual(['warehouse@example.com', 'buyer@example.com']);
    // This attempt, the other delivery's, then this one's retry.
    expect(uow.isolations).toHaveLength(3);
  });

  it('when sending fails midway, commits nothing, so the next delivery mails every recipient once', async () => {
    const uow = new FakeNotificationUnitOfWork().failSend(2, new Error('SMTP server went away'));

    await expect(notifyOutOfStock(envelope(), { uow, settings })).rejects.toThrow('SMTP server went away');
    expect(uow.sent).toEqual([]);
    expect(uow.processed.size).toBe(0);

    await notifyOutOfStock(envelope(), { uow, settings });
    expect(uow.sent.map((email) => email.to)).toEqual(['warehouse@example.com', 'buyer@example.com']);
  });

  it('with nobody to tell, still records the delivery and sends nothing', async () => {
    const uow = new FakeNotificationUnitOfWork();

    await notifyOutOfStock(envelope(), { uow, settings: { ...settings, outOfStockRecipients: [] } });

    expect(uow.sent).toEqual([]);
    expect(uow.processed.size).toBe(1);
  });

  it('is the one task the OutOfStock event starts', () => {
    expect(taskRoutes(notificationTasks)(envelope().event)).toEqual(['notifyOutOfStock']);
  });
});

import { outOfStockEmails } from '../../../src/notifications/domain/out-of-stock-email.ts';

const shortage = { sku: 'RED-CHAIR', orderId: 'order-42', quantity: 7 };

describe('the out-of-stock email', () => {
  it('goes to every recipient with a subject naming the SKU', () => {
    const emails = outOfStockEmails(shortage, ['warehouse@example.com', 'buyer@example.com']);

    expect(emails.map((email) => email.to)).toEqual(['warehouse@example.com', 'buyer@example.com']);
    for (const email of emails) expect(email.subject).toBe('Out of stock: RED-CHAIR');
  });

  it('tells the reader which order wanted how many units of which SKU, in plain text', () => {
    const [email] = outOfStockEmails(shortage, ['warehouse@example.com']);

    expect(email?.body).toContain('Order order-42 asked for 7 units of RED-CHAIR');
    expect(email?.body).toContain('nothing was allocated');
    expect(email?.body).not.toMatch(/<[a-z][^>]*>/i);
  });

  it('then tells them what to do, in a paragraph of its own', () => {
    const [email] = outOfStockEmails(shortage, ['warehouse@example.com']);

    expect(email?.body.split('\n')).toEqual([
      'Order order-42 asked for 7 units of RED-CHAIR, but no batch could hold the line, so nothing was allocated.',
      '',
      'Add stock for RED-CHAIR (a new batch, or more units in an existing one), then allocate order order-42 again.',
    ]);
  });

  it('says "unit" for a single one', () => {
    const [email] = outOfStockEmails({ ...shortage, quantity: 1 }, ['warehouse@example.com']);

    expect(email?.body).toContain('asked for 1 unit of RED-CHAIR');
  });

  it('mails a recipient listed twice only once', () => {
    const emails = outOfStockEmails(shortage, ['warehouse@example.com', 'buyer@example.com', 'warehouse@example.com']);

    expect(emails.map((email) => email.to)).toEqual(['warehouse@example.com', 'buyer@example.com']);
  });

  it('is no email at all when nobody is to be told', () => {
    expect(outOfStockEmails(shortage, [])).toEqual([]);
  });
});

import type { Email } from '../../core/ports.ts';

/**
 * What the warehouse must hear about an order line no batch could hold. The fields of inventory's OutOfStock event,
 * restated here because a domain may import no other context, not even its events: the task passes the event itself.
 */
export type StockShortage = { readonly sku: string; readonly orderId: string; readonly quantity: number };

const units = (quantity: number): string => `${quantity} ${quantity === 1 ? 'unit' : 'units'}`;

/** One plain-text email per distinct recipient: a list naming someone twice must not mail them twice. */
export const outOfStockEmails = (shortage: StockShortage, recipients: readonly string[]): Email[] => {
  const { sku, orderId, quantity } = shortage;
  const subject = `Out of stock: ${sku}`;
  const body = [
    `Order ${orderId} asked for ${units(quantity)} of ${sku}, but no batch could hold the line, so nothing was allocated.`,
    '',
    `Add stock for ${sku} (a new batch, or more units in an existing one), then allocate order ${orderId} again.`,
  ].join('\n');
  return [...new Set(recipients)].map((to) => ({ to, subject, body }));
};

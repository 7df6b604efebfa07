/**
 * The names `npm run generate` derives (scripts/generator/names.ts). The generators themselves run on a copy of
 * the repository in tests/e2e/generators.test.ts.
 */
import {
  checkContextName,
  checkPascalName,
  contextNames,
  defaultAggregate,
  eventOf,
  GeneratorError,
  pastTense,
} from '../../../scripts/generator/names.ts';

describe('the names of a generated context', () => {
  it('come from the context and its aggregate, in every case the code needs', () => {
    expect(contextNames('procurement', 'PurchaseOrder')).toEqual({
      context: 'procurement',
      Context: 'Procurement',
      Aggregate: 'PurchaseOrder',
      aggregate: 'purchaseOrder',
      file: 'purchase-order',
      aggregates: 'purchaseOrders',
      spoken: 'purchase order',
      spokenPlural: 'purchase orders',
      table: 'purchase_orders',
      resource: 'PURCHASE_ORDER',
    });
  });

  it.each([
    ['orders', 'Order'],
    ['shipping', 'Shipping'],
    ['addresses', 'Address'],
    ['parties', 'Party'],
    ['status', 'Status'],
  ])('make the aggregate of %s %s when none is named', (context, aggregate) => {
    expect(defaultAggregate(context)).toBe(aggregate);
  });

  it.each(['Shipping', 'ship_ping', 'ship-ping', '9lives', 'x', 'core', 'platform', 'generated', 'delete'])(
    'refuse %j as a context name',
    (name) => {
      expect(() => checkContextName(name)).toThrow(GeneratorError);
    },
  );

  it.each(['dispatchShipment', 'DISPATCH', 'Dispatch_Shipment', 'Dispatch-Shipment', ''])(
    'refuse %j as a command name',
    (name) => {
      expect(() => checkPascalName(name, 'command')).toThrow(GeneratorError);
    },
  );
});

describe('the event a command raises', () => {
  it.each([
    ['DispatchShipment', 'ShipmentDispatched'],
    ['ShipShipment', 'ShipmentShipped'],
    ['ApproveInvoice', 'InvoiceApproved'],
    ['CopyShipment', 'ShipmentCopied'],
    ['SubmitOrder', 'OrderSubmitted'],
    ['SendReminder', 'ReminderSent'],
    ['Archive', 'ShipmentArchived'],
    ['OpenShipment', 'ShipmentOpened'],
  ])('of %s is %s', (command, event) => {
    expect(eventOf(command, 'Shipment')).toBe(event);
  });

  it('keeps a verb that needs no change in the past tense', () => {
    expect(pastTense('Reset')).toBe('Reset');
  });
});

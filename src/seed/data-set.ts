/**
 * The development data set: a small warehouse with people in every role. Development passwords, published here
 * and printed on purpose: never seed a database that matters. src/seed/seed.ts sends it through the bus.
 */
import type { Policy } from '../core/access.ts';

type SeedRole = { readonly name: string; readonly purpose: string; readonly policies: readonly Policy[] };

export const SEED_ROLES: readonly SeedRole[] = [
  {
    name: 'clerk',
    purpose: 'reads all stock and allocates order lines (PRODUCT READ, UPDATE on *)',
    policies: [
      { resource: 'PRODUCT', actions: ['READ', 'UPDATE'], selectors: ['*'] },
      { resource: 'BATCH', actions: ['READ'], selectors: ['*'] },
    ],
  },
  {
    name: 'supplier',
    purpose: 'manages only the products it created (OWNER selectors)',
    policies: [
      { resource: 'PRODUCT', actions: ['READ', 'CREATE', 'UPDATE'], selectors: ['OWNER'] },
      { resource: 'BATCH', actions: ['READ', 'UPDATE'], selectors: ['OWNER'] },
    ],
  },
  {
    name: 'viewer',
    purpose: 'reads every product and batch, changes nothing (READ on *)',
    policies: [
      { resource: 'PRODUCT', actions: ['READ'], selectors: ['*'] },
      { resource: 'BATCH', actions: ['READ'], selectors: ['*'] },
    ],
  },
];

export const SEED_ACCOUNTS = [
  { email: 'clara.clerk@kingdom.local', password: 'kingdom-clerk', name: 'Clara Clerk', role: 'clerk' },
  {
    email: 'oak@suppliers.kingdom.local',
    password: 'kingdom-supplier',
    name: 'Oak & Iron Furniture',
    role: 'supplier',
  },
  { email: 'lamps@suppliers.kingdom.local', password: 'kingdom-supplier', name: 'Bright Lamps Ltd', role: 'supplier' },
  { email: 'victor.viewer@kingdom.local', password: 'kingdom-viewer', name: 'Victor Viewer', role: 'viewer' },
] as const;

type SeedEmail = (typeof SEED_ACCOUNTS)[number]['email'];

/** `owner`: the supplier account whose first batch creates the product (null: the warehouse's own stock). */
export const SEED_BATCHES: readonly {
  readonly reference: string;
  readonly sku: string;
  readonly quantity: number;
  readonly eta: string | null;
  readonly owner: SeedEmail | null;
}[] = [
  { reference: 'batch-001', sku: 'RETRO-CLOCK', quantity: 100, eta: null, owner: null },
  { reference: 'batch-002', sku: 'RETRO-CLOCK', quantity: 50, eta: '2027-01-15', owner: null },
  { reference: 'batch-004', sku: 'VELVET-SOFA', quantity: 5, eta: '2027-02-01', owner: null },
  { reference: 'batch-005', sku: 'LINEN-CURTAIN', quantity: 200, eta: null, owner: null },
  { reference: 'oak-001', sku: 'OAK-CHAIR', quantity: 60, eta: null, owner: 'oak@suppliers.kingdom.local' },
  { reference: 'oak-002', sku: 'OAK-CHAIR', quantity: 30, eta: '2027-03-15', owner: 'oak@suppliers.kingdom.local' },
  { reference: 'oak-003', sku: 'OAK-BOOKSHELF', quantity: 8, eta: null, owner: 'oak@suppliers.kingdom.local' },
  { reference: 'batch-003', sku: 'MINIMALIST-LAMP', quantity: 20, eta: null, owner: 'lamps@suppliers.kingdom.local' },
  {
    reference: 'lamp-001',
    sku: 'MINIMALIST-LAMP',
    quantity: 40,
    eta: '2027-01-20',
    owner: 'lamps@suppliers.kingdom.local',
  },
  { reference: 'lamp-002', sku: 'BRASS-DESK-LAMP', quantity: 15, eta: null, owner: 'lamps@suppliers.kingdom.local' },
];

export const SEED_ORDER_LINES = [
  { orderId: 'order-1001', sku: 'RETRO-CLOCK', quantity: 3 },
  { orderId: 'order-1001', sku: 'MINIMALIST-LAMP', quantity: 2 },
  { orderId: 'order-1002', sku: 'OAK-CHAIR', quantity: 4 },
  { orderId: 'order-1002', sku: 'LINEN-CURTAIN', quantity: 10 },
  { orderId: 'order-1003', sku: 'VELVET-SOFA', quantity: 2 },
  { orderId: 'order-1004', sku: 'RETRO-CLOCK', quantity: 10 },
  { orderId: 'order-1004', sku: 'BRASS-DESK-LAMP', quantity: 1 },
] as const;

/** More sofas than exist: OUT_OF_STOCK for the caller, and an OutOfStock event that mails the warehouse. */
export const SEED_OUT_OF_STOCK_LINE = { orderId: 'order-1005', sku: 'VELVET-SOFA', quantity: 10 } as const;

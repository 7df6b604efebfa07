import { sql } from 'slonik';
import { z } from 'zod';

/** Row shapes at the adapter edge; every row is checked against these (see platform/database/pool.ts). */
export const productRow = z.object({
  sku: z.string(),
  description: z.string(),
  version: z.number().int(),
  createdAt: z.date(),
});

/** What the repository loads: the view's columns plus the owner, which only the aggregate and authorization need. */
export const productRecordRow = productRow.extend({ ownerId: z.string().nullable() });

export const ownerRow = z.object({ ownerId: z.string().nullable() });

export const batchRow = z.object({
  reference: z.string(),
  sku: z.string(),
  purchasedQuantity: z.number().int(),
  eta: z.string().nullable(),
  createdAt: z.date(),
});

export const batchWithAllocationsRow = batchRow.extend({ allocatedQuantity: z.number().int() });

export const allocationViewRow = z.object({ orderId: z.string(), sku: z.string(), batchReference: z.string() });

export const productColumns = sql.fragment`sku, description, version, created_at AS "createdAt"`;
export const productRecordColumns = sql.fragment`${productColumns}, owner_id AS "ownerId"`;
// `eta` is a date: our type parser hands it over as the 'YYYY-MM-DD' text Postgres sends.
export const batchColumns = sql.fragment`
  reference, sku, purchased_quantity AS "purchasedQuantity", eta, created_at AS "createdAt"`;

import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import type { Application } from './bootstrap.ts';

/** A small, believable warehouse, sent through the bus like any client's commands would be. */
const SAMPLE_BATCHES = [
  { reference: 'batch-001', sku: 'RETRO-CLOCK', quantity: 100, eta: null },
  { reference: 'batch-002', sku: 'RETRO-CLOCK', quantity: 50, eta: '2027-01-15' },
  { reference: 'batch-003', sku: 'MINIMALIST-LAMP', quantity: 20, eta: null },
  { reference: 'batch-004', sku: 'VELVET-SOFA', quantity: 5, eta: '2027-02-01' },
] as const;

/** Fills an empty development database so the Sandbox has something to show; leaves any other alone. */
export const seedIfEmpty = async (app: Application, pool: DatabasePool): Promise<boolean> => {
  const hasProducts = await pool.oneFirst(sql.type(z.object({ exists: z.boolean() }))`
    SELECT EXISTS (SELECT 1 FROM products) AS "exists"`);
  if (hasProducts) return false;
  for (const batch of SAMPLE_BATCHES) await app.bus.execute({ type: 'AddBatch', ...batch, ownerId: null });
  return true;
};

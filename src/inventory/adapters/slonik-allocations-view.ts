import { sql, type DatabaseTransactionConnection } from 'slonik';
import type { AllocationsViewWriter } from '../services/ports.ts';

export const createAllocationsViewWriter = (connection: DatabaseTransactionConnection): AllocationsViewWriter => ({
  put: async ({ orderId, sku, batchReference }) => {
    await connection.query(sql.unsafe`
      INSERT INTO allocations_view (order_id, sku, batch_reference) VALUES (${orderId}, ${sku}, ${batchReference})
      ON CONFLICT (order_id, sku) DO UPDATE SET batch_reference = EXCLUDED.batch_reference`);
  },
  remove: async ({ orderId, sku, batchReference }) => {
    await connection.query(sql.unsafe`
      DELETE FROM allocations_view
      WHERE order_id = ${orderId} AND sku = ${sku} AND batch_reference = ${batchReference}`);
  },
});

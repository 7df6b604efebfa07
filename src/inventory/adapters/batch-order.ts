import type { BatchView } from '../services/views.ts';

/**
 * The order of a product's batches, as allocation prefers them: in stock (no ETA) first, then by ETA, then oldest
 * first, then by reference. Cursor keys of batch pages (`batches:<sku>`) are these values.
 */
export const batchKey = (batch: BatchView) => [batch.eta ?? '', batch.createdAt.toISOString(), batch.reference];

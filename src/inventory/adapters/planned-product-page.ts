/**
 * What a page of products fetches besides the products, planned from what the client selected beneath them
 * (src/core/selection.ts): each product's page of batches and its available quantity, as columns of the same
 * statement (docs/decisions/0011-one-statement-per-page.md). What cannot be planned is left to the views' own
 * queries (DataLoader): batches asked for with a cursor (a cursor belongs to one product's list), or by aliases
 * with different arguments, or with arguments the resolver will refuse (its error then belongs to that field).
 */
import { sql, type FragmentSqlToken } from 'slonik';
import { z } from 'zod';
import {
  connectionFromRows,
  fetchesBackward,
  fetchLimit,
  pageRequest,
  type PageRequest,
} from '../../core/pagination.ts';
import { connectionNodes, isSelected, selectionsAt, sharedArguments, type Selection } from '../../core/selection.ts';
import { nestedPage, type NestedOrder } from '../../platform/database/nested-page.ts';
import { attachPlanned } from '../../platform/database/planned.ts';
import { allOf } from '../../platform/database/scope-sql.ts';
import type { BatchPage, BatchView, ProductView } from '../services/views.ts';
import { batchKey } from './batch-order.ts';

/** reference, purchased quantity, eta, created at (epoch ms), allocated quantity. */
const batchTuple = z.tuple([z.string(), z.number().int(), z.string().nullable(), z.number(), z.number().int()]);

export const plannedColumns = z.object({
  plannedBatches: z.array(batchTuple).optional(),
  plannedBatchCount: z.number().int().optional(),
  plannedAvailable: z.number().int().optional(),
});
type PlannedRow = ProductView & z.infer<typeof plannedColumns>;

export type ProductPagePlan = {
  /** Extra columns of the page's statement, named as in `plannedColumns`. */
  readonly columns: readonly FragmentSqlToken[];
  /** The product of a row, carrying what was planned for its fields (src/platform/database/planned.ts). */
  readonly productOf: (row: PlannedRow) => ProductView;
};

const allocatedOf = sql.fragment`batches.allocated_quantity`;

/** In stock first, then by arrival, then oldest first: the order of `batchKey`, written for Postgres. */
const batchOrder = (backward: boolean): NestedOrder[] => {
  const direction = backward ? 'DESC' : 'ASC';
  return [
    { key: sql.fragment`batches.eta`, direction, nulls: backward ? 'LAST' : 'FIRST' },
    { key: sql.fragment`batches.created_at`, direction },
    // Byte order, as JavaScript compares the references of in-memory pages.
    { key: sql.fragment`batches.reference COLLATE "C"`, direction },
  ];
};

/** The batches' page request, when it can be planned; null leaves them to the view's loader. */
const batchesRequest = (nodes: Selection): { args: Record<string, unknown>; request: PageRequest } | null => {
  const args = sharedArguments(selectionsAt(nodes, ['batches']));
  if (args === null || args.after != null || args.before != null) return null;
  try {
    return { args, request: pageRequest('batches', args, 3) };
  } catch {
    return null;
  }
};

const batchView =
  (sku: string) =>
  (tuple: z.infer<typeof batchTuple>): BatchView => {
    const [reference, purchasedQuantity, eta, createdAt, allocatedQuantity] = tuple;
    return { reference, sku, purchasedQuantity, eta, createdAt: new Date(createdAt), allocatedQuantity };
  };

export const planProductPage = (
  selection: Selection | undefined,
  batchScope: FragmentSqlToken | null,
  countBatches: (sku: string) => Promise<number>,
): ProductPagePlan | null => {
  if (!selection) return null;
  const nodes = connectionNodes(selection);
  const batches = batchesRequest(nodes);
  const countsBatches = batches !== null && isSelected(nodes, ['batches', 'totalCount']);
  const available = isSelected(nodes, ['availableQuantity']);
  if (!batches && !available) return null;

  const ofProduct = allOf(sql.fragment`batches.sku = products.sku`, batchScope);
  const columns: FragmentSqlToken[] = [];
  if (batches) {
    const page = nestedPage({
      values: [
        sql.fragment`batches.reference`,
        sql.fragment`batches.purchased_quantity`,
        sql.fragment`batches.eta`,
        sql.fragment`(extract(epoch FROM batches.created_at) * 1000)::bigint`,
        allocatedOf,
      ],
      from: sql.fragment`batches`,
      where: ofProduct,
      order: batchOrder(fetchesBackward(batches.request)),
      limit: fetchLimit(batches.request),
    });
    columns.push(sql.fragment`${page} AS "plannedBatches"`);
  }
  if (countsBatches) {
    columns.push(sql.fragment`(SELECT count(*) FROM batches WHERE ${ofProduct})::int AS "plannedBatchCount"`);
  }
  if (available) {
    // Over every batch of the product, readable or not: a figure about the product (as the view computes it).
    columns.push(sql.fragment`(
      SELECT coalesce(sum(batches.purchased_quantity - ${allocatedOf}), 0)::int FROM batches
      WHERE batches.sku = products.sku) AS "plannedAvailable"`);
  }

  const productOf = ({ plannedBatches, plannedBatchCount, plannedAvailable, ...product }: PlannedRow) => {
    if (batches && plannedBatches) {
      const request = { ...batches.request, connection: `batches:${product.sku}` };
      const page: BatchPage = {
        ...connectionFromRows(plannedBatches.map(batchView(product.sku)), request, batchKey),
        totalCount: async () => plannedBatchCount ?? countBatches(product.sku),
      };
      attachPlanned(product, 'batches', batches.args, page);
    }
    if (plannedAvailable !== undefined) attachPlanned(product, 'availableQuantity', {}, plannedAvailable);
    return product;
  };
  return { columns, productOf };
};

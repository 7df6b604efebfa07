import type { Ownership } from '../../core/access.ts';
import type { AccessSubjects } from '../../platform/graphql/context.ts';
import { batchNotFound, productNotFound } from '../domain/errors.ts';

/** A product is owned by whoever created it; a batch by its product's owner. Nobody owns an ownerless row. */
const ownership = (row: { readonly ownerId: string | null } | null, principal: string | null): Ownership => ({
  exists: row !== null,
  owned: row?.ownerId != null && row.ownerId === principal,
});

/**
 * What the @auth directive asks about inventory instances, keyed by SKU and batch reference. The lookups are
 * unscoped (deciding comes before showing); `notFound` is the handlers' own error, so a denial for a caller who
 * may not read the instance looks exactly like an unknown SKU or reference.
 */
export const inventorySubjects: Pick<AccessSubjects, 'PRODUCT' | 'BATCH'> = {
  PRODUCT: {
    ownership: async (sku, { views, access }) => ownership(await views.inventory.productOwner(sku), access.principal),
    notFound: productNotFound,
  },
  BATCH: {
    ownership: async (reference, { views, access }) =>
      ownership(await views.inventory.batchOwner(reference), access.principal),
    notFound: batchNotFound,
  },
};

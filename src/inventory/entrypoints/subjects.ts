import type { Ownership } from '../../core/access.ts';
import type { GraphQLContext } from '../../generated/graphql.ts';
import type { ResourceDeclaration } from '../../platform/context-module.ts';
import { batchNotFound, productNotFound } from '../domain/errors.ts';
import { isIdentifier } from '../domain/values.ts';

/** A product is owned by whoever created it; a batch by its product's owner. Nobody owns an ownerless row. */
const ownership = (row: { readonly ownerId: string | null } | null, principal: string | null): Ownership => ({
  exists: row !== null,
  owned: row?.ownerId != null && row.ownerId === principal,
});

/**
 * The resources inventory owns, keyed by SKU and batch reference. The @auth lookups are unscoped (deciding comes
 * before showing); `notFound` is the handlers' own error, so a denial for a caller who may not read the instance
 * looks exactly like an unknown SKU or reference.
 */
export const inventoryResources: Readonly<Record<'PRODUCT' | 'BATCH', ResourceDeclaration>> = {
  PRODUCT: {
    key: { valid: isIdentifier, is: 'a SKU' },
    subject: {
      ownership: async (sku, { views, access }: GraphQLContext) =>
        ownership(await views.inventory.productOwner(sku), access.principal),
      notFound: productNotFound,
    },
  },
  BATCH: {
    key: { valid: isIdentifier, is: 'a batch reference' },
    subject: {
      ownership: async (reference, { views, access }: GraphQLContext) =>
        ownership(await views.inventory.batchOwner(reference), access.principal),
      notFound: batchNotFound,
    },
  },
};

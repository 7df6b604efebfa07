import DataLoader from 'dataloader';
import type { EntityResolver, EntityResolvers, RequestContext } from '../context.ts';
import { isComparableKey } from '../node.ts';

/** What `_entities` hands each reference resolver: the representation the router sent (`__typename` and the key). */
type Representation = Readonly<Record<string, unknown>>;

export type ReferenceResolvers = Record<
  string,
  { __resolveReference(reference: Representation, context: RequestContext): Promise<object | null> | null }
>;

/**
 * `__resolveReference` for every declared entity type, batched: `_entities` asks for each representation in the
 * same tick, so one DataLoader per request and type collects them and its context resolves them all in one call
 * (a page of 20 products costs the reads of one product lookup, not 20). Loaders live as long as their request's
 * context object; they do not cache, as the views' loaders do not (a read must see the request's own writes).
 * A representation without a usable key (missing, not a string, or one Postgres cannot compare) names nothing.
 */
export const referenceResolvers = (entities: EntityResolvers): ReferenceResolvers => {
  const loaders = new WeakMap<object, Map<string, DataLoader<string, object | null>>>();

  const loaderFor = (type: string, entity: EntityResolver, context: RequestContext) => {
    let byType = loaders.get(context);
    if (!byType) loaders.set(context, (byType = new Map<string, DataLoader<string, object | null>>()));
    let loader = byType.get(type);
    if (!loader) {
      loader = new DataLoader<string, object | null>(async (keys) => [...(await entity.resolve(keys, context))], {
        cache: false,
      });
      byType.set(type, loader);
    }
    return loader;
  };

  return Object.fromEntries(
    Object.entries(entities).map(([type, entity]) => [
      type,
      {
        __resolveReference: (reference: Representation, context: RequestContext) => {
          const key = reference[entity.key];
          if (typeof key !== 'string' || !isComparableKey(key)) return null;
          return loaderFor(type, entity, context).load(key);
        },
      },
    ]),
  );
};

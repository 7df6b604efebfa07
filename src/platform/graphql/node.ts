import { fromGlobalId } from 'graphql-relay';
import type { IResolvers } from '@graphql-tools/utils';
import type { NodeFetchers, RequestContext } from './context.ts';

/** A key Postgres could not even compare (empty, or with NUL) names nothing. */
export const isComparableKey = (key: string): boolean => key !== '' && !key.includes('\u0000');

/**
 * Global Object Identification: an id is graphql-relay's opaque `base64("Type:key")`, and each context says how
 * to refetch its Node types by key. A malformed id, an unknown type or a key that names nothing is simply null,
 * never an error: ids are data clients store and replay.
 */
export const nodeResolvers = (fetchers: NodeFetchers): IResolvers<unknown, RequestContext> => {
  // The type each fetched object was asked for, by the object itself: how `Node` resolves to a concrete type
  // without the shell knowing the shapes of any context's views.
  const typeOfNode = new WeakMap<object, string>();

  const fetchNode = async (id: string, context: RequestContext): Promise<object | null> => {
    const { type, id: key } = fromGlobalId(id);
    const fetcher = Object.hasOwn(fetchers, type) ? fetchers[type] : undefined;
    if (!fetcher || !isComparableKey(key)) return null;
    const node = await fetcher.fetch(key, context);
    if (node !== null) typeOfNode.set(node, type);
    return node;
  };

  return {
    Query: {
      node: (_parent, { id }: { id: string }, context) => fetchNode(id, context),
      nodes: (_parent, { ids }: { ids: readonly string[] }, context) =>
        Promise.all(ids.map((id) => fetchNode(id, context))),
    },
    Node: {
      __resolveType: (node: object) => typeOfNode.get(node) ?? null,
    },
  };
};

import { fromGlobalId } from 'graphql-relay';
import type { Resolvers } from '../../generated/graphql.ts';
import type { GraphQLContext, NodeFetchers, NodeView } from './context.ts';

/**
 * Global Object Identification: an id is graphql-relay's opaque `base64("Type:key")`. A malformed id, an unknown
 * type or a key that names nothing is simply null, never an error: ids are data clients store and replay.
 */
const fetchNode = async (fetchers: NodeFetchers, id: string, context: GraphQLContext): Promise<NodeView | null> => {
  const { type, id: key } = fromGlobalId(id);
  const fetch = Object.hasOwn(fetchers, type) ? fetchers[type] : undefined;
  // A key Postgres could not even compare (empty, or with NUL) names nothing.
  if (!fetch || key === '' || key.includes('\u0000')) return null;
  return fetch(key, context);
};

/** Types are told apart by their shape (the view types resolvers receive); each has a field the others lack. */
const typeOf = (node: NodeView): 'Product' | 'Batch' | 'User' => {
  if ('purchasedQuantity' in node) return 'Batch';
  if ('sku' in node) return 'Product';
  return 'User';
};

export const nodeResolvers = (fetchers: NodeFetchers): Resolvers => ({
  Query: {
    node: (_parent, { id }, context) => fetchNode(fetchers, id, context),
    nodes: (_parent, { ids }, context) => Promise.all(ids.map((id) => fetchNode(fetchers, id, context))),
  },
  Node: {
    __resolveType: (node) => typeOf(node),
  },
});

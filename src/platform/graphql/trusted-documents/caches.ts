import type { DocumentStore } from '@apollo/server';
import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { DocumentNode } from 'graphql';
import type { ManifestOperation } from './manifest.ts';

/**
 * The operation hash at the end of an Apollo cache key: `<schema hash>:<query hash>` in a document store given to
 * Apollo, `apq:<query hash>` in the persisted query cache.
 */
const hashOf = (key: string): string => key.slice(key.lastIndexOf(':') + 1);

/**
 * Apollo's document store (parsed and validated documents by query hash), with the manifest's documents pinned:
 * prepared once at start-up, never evicted, never parsed per request. Other documents (log and off modes) go to
 * an LRU cache like Apollo's default one.
 */
export const pinnedDocumentStore = (documents: ReadonlyMap<string, DocumentNode>): DocumentStore => {
  const others = new InMemoryLRUCache<DocumentNode>();
  return {
    get: async (key) => documents.get(hashOf(key)) ?? others.get(key),
    set: async (key, document, options) => {
      if (!documents.has(hashOf(key))) await others.set(key, document, options);
    },
    delete: (key) => others.delete(key),
  };
};

/**
 * Apollo's persisted query cache (query text by hash): the manifest's operations, so a client may send only an
 * id, as Apollo Client's persisted query link and the router do. With `register`, automatic persisted queries
 * work as before for everything else; without it (enforce), nothing can be added: an unknown id stays unknown.
 */
export const manifestQueryCache = (
  operations: ReadonlyMap<string, ManifestOperation>,
  options: { readonly register: boolean },
): KeyValueCache<string> => {
  const registered = options.register ? new InMemoryLRUCache<string>() : undefined;
  return {
    get: async (key) => operations.get(hashOf(key))?.body ?? registered?.get(key),
    set: async (key, query, setOptions) => {
      if (!operations.has(hashOf(key))) await registered?.set(key, query, setOptions);
    },
    delete: async (key) => registered?.delete(key),
  };
};

import type { ApolloServerPlugin, DocumentStore, PersistedQueryOptions } from '@apollo/server';
import { pinnedDocumentStore, manifestQueryCache } from './caches.ts';
import { prepareDocuments, type DocumentChecks } from './documents.ts';
import type { TrustedOperations } from './manifest.ts';

/**
 * What the server trusts: `off` runs whatever is valid (Apollo's automatic persisted queries included); `log` runs
 * it too but logs and counts operations outside the manifest; `enforce` runs only the manifest's operations.
 */
export type TrustedDocuments =
  | { readonly mode: 'off' }
  | { readonly mode: 'log' | 'enforce'; readonly operations: TrustedOperations; readonly source: string };

export const TRUSTED_DOCUMENTS_OFF: TrustedDocuments = { mode: 'off' };

type ApolloTrustOptions = {
  readonly documentStore?: DocumentStore;
  readonly persistedQueries?: PersistedQueryOptions;
  readonly plugins: ApolloServerPlugin[];
};

/**
 * The last line of defence in enforce mode: the HTTP gate (gate.ts) refuses unknown operations before Apollo sees
 * them, so a source whose hash is not in the manifest reaching Apollo means the gate and Apollo read a request
 * differently. Apollo answers the throw as an internal error (and logs it), before parsing. The one exception the
 * gate makes is let through here too: a supergraph router's query plan (the request presented its secret).
 */
const onlyTrustedSources = (operations: TrustedOperations): ApolloServerPlugin => ({
  async requestDidStart({ contextValue }) {
    const fromRouter = (contextValue as { presentsRouterSecret?: boolean }).presentsRouterSecret === true;
    return {
      async didResolveSource({ queryHash }) {
        if (!operations.byId.has(queryHash) && !fromRouter) {
          throw new Error(`operation ${queryHash} is not in the trusted documents but got past the HTTP gate`);
        }
      },
    };
  },
});

/**
 * Apollo options for trusted documents: the manifest's documents parsed and validated once (this throws when one
 * would be refused), pinned in the document store; ids resolved through the persisted query cache.
 */
export const apolloTrustOptions = (trusted: TrustedDocuments, checks: DocumentChecks): ApolloTrustOptions => {
  if (trusted.mode === 'off') return { plugins: [] };
  const operations = [...trusted.operations.byId.values()];
  const documents = prepareDocuments(operations, checks, trusted.source);
  const enforce = trusted.mode === 'enforce';
  return {
    documentStore: pinnedDocumentStore(documents),
    persistedQueries: { cache: manifestQueryCache(trusted.operations.byId, { register: !enforce }) },
    plugins: enforce ? [onlyTrustedSources(trusted.operations)] : [],
  };
};

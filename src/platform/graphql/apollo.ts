import { ApolloServer, type ApolloServerPlugin, type GraphQLRequestListener } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { GraphQLSchema } from 'graphql';
import type { RequestContext } from './context.ts';
import { databaseUnavailableStatus } from './database-unavailable.ts';
import { subscriptionsNotOverHttp } from '../subscriptions/not-over-http.ts';
import { createErrorFormatter, isUnexpected, originalError } from './errors.ts';
import { DEFAULT_LIMITS, graphqlProtection, type GraphQLLimits } from './limits.ts';
import {
  apolloTrustOptions,
  TRUSTED_DOCUMENTS_OFF,
  type TrustedDocuments,
} from './trusted-documents/apollo-options.ts';

/**
 * Logs every error that is our fault with the request's id, operation and path; the client sees a masked one. One
 * listener for every request (it keeps no state): nothing is allocated per request for it.
 */
const errorListener: GraphQLRequestListener<RequestContext> = {
  async didEncounterErrors({ errors, contextValue, operationName }) {
    for (const error of errors) {
      if (!isUnexpected(error)) continue;
      contextValue.logger.error(
        { err: originalError(error), operationName, path: error.path },
        'unexpected error while executing a GraphQL operation',
      );
    }
  },
};
const errorLogging: ApolloServerPlugin<RequestContext> = { requestDidStart: async () => errorListener };

export const createApolloServer = <Context extends RequestContext = RequestContext>(options: {
  schema: GraphQLSchema;
  isDevelopment: boolean;
  /**
   * Checked before any resolver runs, in every environment (development included, so surprises show early).
   * Default: the production defaults of GRAPHQL_MAX_* (config.ts).
   */
  limits?: GraphQLLimits;
  /**
   * The manifest's documents are parsed and validated here, once (a document the server would refuse throws), and
   * served from Apollo's caches; the HTTP gate (trusted-documents/gate.ts) refuses or logs the others. Default: off.
   */
  trustedDocuments?: TrustedDocuments;
  /** Added after ours (traces and metrics, src/platform/telemetry). */
  plugins?: readonly ApolloServerPlugin[];
}): ApolloServer<Context> => {
  const protection = graphqlProtection(options.limits ?? DEFAULT_LIMITS, { hideSuggestions: !options.isDevelopment });
  const trust = apolloTrustOptions(options.trustedDocuments ?? TRUSTED_DOCUMENTS_OFF, {
    schema: options.schema,
    parseOptions: protection.parseOptions,
    validationRules: protection.validationRules,
    introspection: options.isDevelopment,
  });
  return new ApolloServer<Context>({
    schema: options.schema,
    introspection: options.isDevelopment,
    // Without this, "Did you mean ...?" hints leak the schema to someone probing a server with introspection off.
    hideSchemaDetailsFromClientErrors: !options.isDevelopment,
    includeStacktraceInErrorResponses: options.isDevelopment,
    formatError: createErrorFormatter({ exposeInternals: options.isDevelopment }),
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    parseOptions: protection.parseOptions,
    validationRules: protection.validationRules,
    documentStore: trust.documentStore,
    persistedQueries: trust.persistedQueries,
    // The process owns shutdown (drain HTTP first, then Apollo, then pools); Apollo's own signal handlers would
    // race it.
    stopOnTerminationSignals: false,
    plugins: [
      errorLogging,
      ...(protection.plugins as Array<ApolloServerPlugin<Context>>),
      ...(trust.plugins as Array<ApolloServerPlugin<Context>>),
      databaseUnavailableStatus,
      subscriptionsNotOverHttp,
      // Apollo installs its cache-control plugin by default, and it wraps every field's resolver to collect
      // @cacheControl hints, which this schema never declares (so no cache header ever came of them): disabled,
      // for throughput (measured in docs/decisions/0005-benchmark-driven-tweaks.md).
      ApolloServerPluginCacheControlDisabled(),
      // A subgraph would otherwise send per-field timings (ftv1) to anyone asking with a header; nothing here
      // reports them to Apollo Studio.
      ApolloServerPluginInlineTraceDisabled(),
      // Apollo Sandbox, for exploring the API; it loads from Apollo's CDN, so it needs a browser that is online.
      options.isDevelopment
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false })
        : ApolloServerPluginLandingPageDisabled(),
      ...((options.plugins ?? []) as unknown as Array<ApolloServerPlugin<Context>>),
    ],
  });
};

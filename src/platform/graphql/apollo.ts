import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { GraphQLSchema } from 'graphql';
import type { GraphQLContext } from './context.ts';
import { databaseUnavailableStatus } from './database-unavailable.ts';
import { createErrorFormatter, isUnexpected, originalError } from './errors.ts';
import { DEFAULT_LIMITS, graphqlProtection, type GraphQLLimits } from './limits.ts';

/** Logs every error that is our fault with the request's id, operation and path; the client sees a masked one. */
const errorLogging: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
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
  },
};

export const createApolloServer = (options: {
  schema: GraphQLSchema;
  isDevelopment: boolean;
  /**
   * Checked before any resolver runs, in every environment (development included, so surprises show early).
   * Default: the production defaults of GRAPHQL_MAX_* (config.ts).
   */
  limits?: GraphQLLimits;
}): ApolloServer<GraphQLContext> => {
  const protection = graphqlProtection(options.limits ?? DEFAULT_LIMITS, { hideSuggestions: !options.isDevelopment });
  return new ApolloServer<GraphQLContext>({
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
    // The process owns shutdown (drain HTTP first, then Apollo, then pools); Apollo's own signal handlers would
    // race it.
    stopOnTerminationSignals: false,
    plugins: [
      errorLogging,
      databaseUnavailableStatus as ApolloServerPlugin<GraphQLContext>,
      ...(protection.plugins as Array<ApolloServerPlugin<GraphQLContext>>),
      // Apollo installs its cache-control plugin by default, and it wraps every field's resolver to collect
      // @cacheControl hints, which this schema never declares (so no cache header ever came of them): disabled, a
      // page of products with batches served 1.27x the requests per second (bench/README.md).
      ApolloServerPluginCacheControlDisabled(),
      // Apollo Sandbox, for exploring the API; it loads from Apollo's CDN, so it needs a browser that is online.
      options.isDevelopment
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false })
        : ApolloServerPluginLandingPageDisabled(),
    ],
  });
};

import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import { LIMIT_MESSAGES } from './messages.ts';

/**
 * graphql-js aborts parsing past `maxTokens` with a message naming the limit and code GRAPHQL_PARSE_FAILED; this
 * restates it like the other limits (same message style, GRAPHQL_VALIDATION_FAILED) before the error is formatted.
 */
// (graphql-js 16 spells it "more that"; tolerate the fix.)
const TOKEN_LIMIT = /^Syntax Error: Document contains more tha[nt] \d+ tokens/;
const tokenListener: GraphQLRequestListener<BaseContext> = {
  async didEncounterErrors({ errors }) {
    for (const error of errors) {
      if (!TOKEN_LIMIT.test(error.message)) continue;
      error.message = LIMIT_MESSAGES.tokens;
      (error.extensions as Record<string, unknown>).code = 'GRAPHQL_VALIDATION_FAILED';
    }
  },
};
/** One listener for every request (it keeps no state): nothing is allocated per request for it. */
export const tokenLimitMessage: ApolloServerPlugin = { requestDidStart: async () => tokenListener };

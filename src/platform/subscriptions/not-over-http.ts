import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, OperationTypeNode } from 'graphql';

/**
 * A subscription sent over HTTP would run its field like a query, once, with nothing to follow: refused with a
 * client error that says where subscriptions are served. (A plugin, not a validation rule: documents of the trusted
 * manifest skip validation, and subscriptions belong in the manifest.)
 */
export const subscriptionsNotOverHttp: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation !== OperationTypeNode.SUBSCRIPTION) return;
        throw new GraphQLError('Subscriptions are served over WebSocket (graphql-transport-ws) at this same URL', {
          extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
        });
      },
    };
  },
};

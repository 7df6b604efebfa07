import { GraphQLError, OperationTypeNode, type ValidationRule } from 'graphql';

/**
 * graphql-js 16 validates a `subscription` against a schema without a Subscription type and only fails when
 * executing it, with an error that has no code (a 500 for us). Refuse it as a client mistake up front.
 */
export const noSubscriptionsRule: ValidationRule = (context) => ({
  OperationDefinition: (node) => {
    if (node.operation === OperationTypeNode.SUBSCRIPTION && !context.getSchema().getSubscriptionType()) {
      context.reportError(new GraphQLError('This server does not offer subscriptions', { nodes: [node] }));
    }
  },
});

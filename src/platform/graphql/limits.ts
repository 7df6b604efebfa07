import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, type ParseOptions, type ValidationContext, type ValidationRule } from 'graphql';
import { costLimitRule } from './limits/cost-rule.ts';
import { LIMIT_MESSAGES } from './limits/messages.ts';
import { noSubscriptionsRule } from './limits/no-subscriptions-rule.ts';
import { tokenLimitMessage } from './limits/token-limit-message.ts';

/** The limits every document is checked against before any resolver runs (see GRAPHQL_MAX_* in config.ts). */
export type GraphQLLimits = {
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxDirectives: number;
  readonly maxTokens: number;
  readonly maxCost: number;
};

/** The production defaults of GRAPHQL_MAX_* in config.ts. */
export const DEFAULT_LIMITS: GraphQLLimits = {
  maxDepth: 10,
  maxAliases: 15,
  maxDirectives: 50,
  maxTokens: 1000,
  maxCost: 5000,
};

const reject =
  (message: string) =>
  (context: ValidationContext | null): void => {
    context?.reportError(new GraphQLError(message));
  };

export type GraphQLProtection = {
  readonly plugins: ApolloServerPlugin[];
  readonly validationRules: ValidationRule[];
  readonly parseOptions: ParseOptions;
};

/**
 * Depth, aliases and directives through graphql-armor's validation rules (their own messages replaced, see
 * LIMIT_MESSAGES); tokens through graphql-js's parser, which stops as soon as the limit is passed; cost through
 * `costLimitRule` (armor's cost rule ignores page sizes given as variables or left to the default, so it can be
 * walked around). Field suggestions ("Did you mean ...?") are hidden when `hideSuggestions`.
 */
export const graphqlProtection = (limits: GraphQLLimits, options: { hideSuggestions: boolean }): GraphQLProtection => {
  const armor = new ApolloArmor({
    maxDepth: {
      n: limits.maxDepth,
      flattenFragments: true,
      propagateOnRejection: false,
      onReject: [reject(LIMIT_MESSAGES.depth)],
    },
    // `allowList: []`: aliases of __typename count too (armor exempts them by default; graphql-cop probes with them).
    maxAliases: {
      n: limits.maxAliases,
      allowList: [],
      propagateOnRejection: false,
      onReject: [reject(LIMIT_MESSAGES.aliases)],
    },
    maxDirectives: {
      n: limits.maxDirectives,
      propagateOnRejection: false,
      onReject: [reject(LIMIT_MESSAGES.directives)],
    },
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: options.hideSuggestions },
  }).protect();
  return {
    plugins: [...(armor.plugins as ApolloServerPlugin[]), tokenLimitMessage],
    validationRules: [...armor.validationRules, costLimitRule(limits.maxCost), noSubscriptionsRule],
    parseOptions: { maxTokens: limits.maxTokens },
  };
};

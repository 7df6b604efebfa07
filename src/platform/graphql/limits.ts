import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  getNamedType,
  GraphQLError,
  isInterfaceType,
  isObjectType,
  Kind,
  OperationTypeNode,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type ParseOptions,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
  type VariableDefinitionNode,
} from 'graphql';

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

/** Page sizes the cost rule assumes: the connections' own default and maximum (core/pagination.ts). */
const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

/**
 * What a client is told. Deliberately without the configured numbers: they would tell a prober exactly how far
 * to go. The code (GRAPHQL_VALIDATION_FAILED, HTTP 400) is Apollo's for any failed validation rule.
 */
export const LIMIT_MESSAGES = {
  depth: 'The operation is nested too deeply; split it into smaller operations',
  aliases: 'The operation uses too many aliases; split it into smaller operations',
  directives: 'The operation uses too many directives',
  tokens: 'The document is too large; split it into smaller operations',
  cost: 'The operation would cost too much to run; ask for smaller pages or fewer nested lists',
} as const;

const reject =
  (message: string) =>
  (context: ValidationContext | null): void => {
    context?.reportError(new GraphQLError(message));
  };

/**
 * The cost of an operation approximates how many objects it may make the server produce: every field that returns
 * an object (has a selection) costs 1, plus the cost of its selection times its page size when it is paginated
 * (has `first`/`last` arguments): the literal value, a variable's literal default, or otherwise the largest page
 * the server serves (validation runs before variables are known, so it assumes the worst); the connection's
 * default page size when neither is given. Scalar fields are read with their object and cost nothing (their
 * number is bounded by the token limit). Fragments are priced once each (no exponential blow-up from fragments
 * spreading fragments), introspection fields cost nothing.
 */
export const costLimitRule =
  (maxCost: number): ValidationRule =>
  (context: ValidationContext): ASTVisitor => {
    const schema = context.getSchema();
    const fragmentCosts = new Map<string, number>();
    let variables: readonly VariableDefinitionNode[] = [];

    const pageSizeOf = (value: ValueNode): number => {
      if (value.kind === Kind.INT) return Number.parseInt(value.value, 10);
      if (value.kind === Kind.VARIABLE) {
        const declared = variables.find((variable) => variable.variable.name.value === value.name.value);
        const fallback = declared?.defaultValue;
        return fallback?.kind === Kind.INT ? Number.parseInt(fallback.value, 10) : MAX_PAGE_SIZE;
      }
      return value.kind === Kind.NULL ? DEFAULT_PAGE_SIZE : MAX_PAGE_SIZE;
    };

    const fragmentCost = (fragment: FragmentDefinitionNode): number => {
      const name = fragment.name.value;
      const known = fragmentCosts.get(name);
      if (known !== undefined) return known;
      fragmentCosts.set(name, 0); // a cycle (refused by NoFragmentCyclesRule) costs nothing more here
      const cost = selectionCost(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value));
      fragmentCosts.set(name, cost);
      return cost;
    };

    const selectionCost = (selectionSet: SelectionSetNode, parent: GraphQLNamedType | null | undefined): number => {
      let total = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FRAGMENT_SPREAD) {
          const fragment = context.getFragment(selection.name.value);
          if (fragment) total += fragmentCost(fragment);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
          total += selectionCost(selection.selectionSet, type);
        } else {
          const name = selection.name.value;
          if (name.startsWith('__')) continue;
          const definition = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
          if (!selection.selectionSet) continue;
          total += 1;
          const paginated = definition?.args.some((argument) => argument.name === 'first' || argument.name === 'last');
          let multiplier = 1;
          if (paginated) {
            const sizes = (selection.arguments ?? [])
              .filter((argument) => argument.name.value === 'first' || argument.name.value === 'last')
              .map((argument) => pageSizeOf(argument.value));
            multiplier = sizes.length > 0 ? Math.max(...sizes) : DEFAULT_PAGE_SIZE;
          }
          total += multiplier * selectionCost(selection.selectionSet, definition && getNamedType(definition.type));
        }
      }
      return total;
    };

    return {
      OperationDefinition(operation) {
        variables = operation.variableDefinitions ?? [];
        const root = schema.getRootType(operation.operation);
        if (selectionCost(operation.selectionSet, root) > maxCost) {
          context.reportError(new GraphQLError(LIMIT_MESSAGES.cost, { nodes: [operation] }));
        }
      },
    };
  };

/**
 * graphql-js aborts parsing past `maxTokens` with a message naming the limit and code GRAPHQL_PARSE_FAILED; this
 * restates it like the other limits (same message style, GRAPHQL_VALIDATION_FAILED) before the error is formatted.
 */
// (graphql-js 16 spells it "more that"; tolerate the fix.)
const TOKEN_LIMIT = /^Syntax Error: Document contains more tha[nt] \d+ tokens/;
const tokenLimitMessage: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors }) {
        for (const error of errors) {
          if (!TOKEN_LIMIT.test(error.message)) continue;
          error.message = LIMIT_MESSAGES.tokens;
          (error.extensions as Record<string, unknown>).code = 'GRAPHQL_VALIDATION_FAILED';
        }
      },
    };
  },
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

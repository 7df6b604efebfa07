import {
  getNamedType,
  GraphQLError,
  isInterfaceType,
  isObjectType,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
  type VariableDefinitionNode,
} from 'graphql';
import { LIMIT_MESSAGES } from './messages.ts';

/** Page sizes the cost rule assumes: the connections' own default and maximum (core/pagination.ts). */
const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

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

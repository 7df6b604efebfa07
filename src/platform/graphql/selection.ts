/**
 * A resolver's `info` as the plain `Selection` its view plans from (src/core/selection.ts): every field selected
 * beneath the resolved one, through fragments and inline fragments, honouring @skip and @include, with its
 * arguments as graphql-js hands them to resolvers (variables resolved, defaults applied), so a view can recognise
 * the very call it planned for. The only place GraphQL's types meet a view's plan: resolvers call it, views never.
 */
import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isInterfaceType,
  isObjectType,
  Kind,
  type GraphQLNamedType,
  type GraphQLResolveInfo,
  type SelectionNode,
} from 'graphql';
import { NOTHING_SELECTED, type SelectedField, type Selection } from '../../core/selection.ts';

const included = (node: SelectionNode, variables: GraphQLResolveInfo['variableValues']): boolean =>
  getDirectiveValues(GraphQLSkipDirective, node, variables)?.if !== true &&
  getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;

const collect = (
  selections: readonly SelectionNode[],
  type: GraphQLNamedType | undefined,
  info: GraphQLResolveInfo,
): Selection => {
  const fields = Object.create(null) as Record<string, SelectedField[]>;
  const visit = (nodes: readonly SelectionNode[], parent: GraphQLNamedType | undefined): void => {
    for (const node of nodes) {
      if (!included(node, info.variableValues)) continue;
      if (node.kind === Kind.FIELD) {
        const definition =
          isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[node.name.value] : undefined;
        (fields[node.name.value] ??= []).push({
          arguments: definition ? getArgumentValues(definition, node, info.variableValues) : {},
          selection: node.selectionSet
            ? collect(node.selectionSet.selections, definition && getNamedType(definition.type), info)
            : NOTHING_SELECTED,
        });
      } else if (node.kind === Kind.INLINE_FRAGMENT) {
        const condition = node.typeCondition && info.schema.getType(node.typeCondition.name.value);
        visit(node.selectionSet.selections, condition ?? parent);
      } else {
        const fragment = info.fragments[node.name.value];
        if (fragment) visit(fragment.selectionSet.selections, info.schema.getType(fragment.typeCondition.name.value));
      }
    }
  };
  visit(selections, type);
  return fields;
};

/** What the client selected beneath the field being resolved. */
export const selectionOf = (info: GraphQLResolveInfo): Selection =>
  collect(
    info.fieldNodes.flatMap((node) => node.selectionSet?.selections ?? []),
    getNamedType(info.returnType),
    info,
  );

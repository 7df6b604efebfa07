import { getDirective } from '@graphql-tools/utils';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLFieldConfig,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { ACTIONS, type Action, type Resource } from '../../core/access.ts';

/*
 * The @auth and @public rules as the SDL writes them, checked when the schema is loaded: a field nobody guards or a
 * rule that cannot work stops start-up, naming the field. directives.ts enforces the rules on every request.
 */

export const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/** One `@auth(...)` as written in the SDL, checked at load time by `authRuleOf`. */
export type AuthRule = {
  readonly resource?: Resource;
  readonly action?: Action;
  /** Argument path of the instance key, e.g. "input.sku". */
  readonly id?: string;
  /** Field of the parent object holding the instance key (object fields only). */
  readonly parentKey?: string;
};

/**
 * The extension by which the shell marks a root field it adds and guards itself (a subgraph's `_service` and
 * `_entities`, which no SDL declares); its value names the guard.
 */
export const SHELL_GUARD = 'kingdomGuard';

/**
 * Locked down by default: every root field must say who may call it. A field with neither @public nor @auth
 * (or with both) stops the server at start-up, naming the field, so a forgotten guard can never ship. A field the
 * shell guards itself (`SHELL_GUARD`) declares neither.
 */
export const assertEveryRootFieldIsGuarded = (schema: GraphQLSchema): void => {
  const problems: string[] = [];
  for (const typeName of ROOT_TYPES) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const isPublic = Boolean(getDirective(schema, field, 'public')?.length);
      const isGuarded = Boolean(getDirective(schema, field, 'auth')?.length);
      const shellGuard = field.extensions[SHELL_GUARD];
      if (typeof shellGuard === 'string') {
        if (isPublic || isGuarded) problems.push(`${typeName}.${field.name} is guarded by ${shellGuard} already`);
      } else if (isPublic === isGuarded) {
        problems.push(
          `${typeName}.${field.name} has ${isPublic ? 'both @public and @auth' : 'neither @public nor @auth'}`,
        );
      }
    }
  }
  if (problems.length > 0) {
    throw new Error(
      `Every Query, Mutation and Subscription field must declare who may call it:\n  ${problems.join('\n  ')}`,
    );
  }
};

/** The input type an argument path ends at, or a reason it does not name a required String/ID. */
const typeAtPath = (args: readonly GraphQLArgument[], path: string): string | null => {
  const [head, ...rest] = path.split('.');
  let type: GraphQLInputType | undefined = args.find((arg) => arg.name === head)?.type;
  if (!type) return `names no argument "${head}"`;
  for (const segment of rest) {
    if (!isNonNullType(type)) return `passes through "${segment}"'s nullable parent`;
    const parent: GraphQLInputType = getNullableType(type);
    if (!isInputObjectType(parent)) return `goes into "${segment}" of a type without fields`;
    type = parent.getFields()[segment]?.type;
    if (!type) return `names no input field "${segment}"`;
  }
  const named = getNamedType(type);
  if (!isNonNullType(type) || !isScalarType(named) || !['String', 'ID'].includes(named.name)) {
    return 'must end at a non-null String or ID';
  }
  return null;
};

/** The values of the SDL's `enum Resource` (each context adds its own). */
const resourcesOf = (schema: GraphQLSchema): string[] => {
  const type = schema.getType('Resource');
  return isEnumType(type) ? type.getValues().map((value) => value.name) : [];
};

/**
 * Reads and checks one field's @auth: a mistake in a rule (an id path naming no argument, a nullable key, a
 * guarded object field that could hide its parent) stops start-up naming the field, like a missing guard does.
 */
export const authRuleOf = (
  schema: GraphQLSchema,
  typeName: string,
  field: GraphQLFieldConfig<unknown, unknown>,
  fieldName: string,
): AuthRule | null => {
  const raw = getDirective(schema, field, 'auth')?.[0];
  if (!raw) return null;
  const rule = raw as AuthRule;
  const where = `@auth on ${typeName}.${fieldName}`;
  const fail = (why: string): never => {
    throw new Error(`${where} ${why}`);
  };
  if (Boolean(rule.resource) !== Boolean(rule.action)) fail('needs both resource and action, or neither');
  if (rule.resource && !resourcesOf(schema).includes(rule.resource)) fail(`names an unknown resource ${rule.resource}`);
  if (rule.action && !ACTIONS.includes(rule.action)) fail(`names an unknown action ${rule.action}`);
  if ((rule.id || rule.parentKey) && !rule.resource) fail('has an id or parentKey but no resource');
  if (rule.id && rule.parentKey) fail('has both id and parentKey');
  const isRoot = ROOT_TYPES.has(typeName);
  if (rule.parentKey && isRoot) fail('uses parentKey, but root fields have no parent');
  if (rule.id) {
    const args = Object.entries(field.args ?? {}).map(([name, arg]) => ({ name, ...arg }) as GraphQLArgument);
    const problem = typeAtPath(args, rule.id);
    if (problem) fail(`id "${rule.id}" ${problem}`);
  }
  if (rule.resource && !isRoot && isNonNullType(field.type)) {
    fail('guards an instance, so it must be nullable (a denial answers null instead of nulling the parent)');
  }
  return rule;
};

import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, isNonNullType, type GraphQLFieldConfig, type GraphQLSchema } from 'graphql';
import { allows, grantsAny, type Action, type Ownership, type Resource } from '../../core/access.ts';
import { DomainError } from '../../core/errors.ts';
import { authRuleOf, ROOT_TYPES, type AuthRule } from './auth-rules.ts';
import type { AccessSubjects, RequestContext } from './context.ts';

const valueAt = (source: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((value, segment) => (value as Record<string, unknown> | null)?.[segment], source);

const unauthenticated = (): DomainError =>
  new DomainError('Unauthenticated', 'Unauthenticated', 'You must be signed in to do this');

const forbidden = (): DomainError => new DomainError('Forbidden', 'Forbidden', 'You are not allowed to do this');

/** "You may not create roles": said alike whether the key is taken or free, so it tells nothing about what exists. */
const forbiddenToCreate = (resource: Resource): DomainError => {
  const name = resource.toLowerCase();
  return new DomainError('Forbidden', 'Forbidden', `You may not create ${name}${name.endsWith('h') ? 'es' : 's'}`);
};

/** Memoises the ownership lookup: one query at most, even when both the action and READ are decided. */
const once = (lookup: () => Promise<Ownership>): (() => Promise<Ownership>) => {
  let result: Promise<Ownership> | undefined;
  return () => (result ??= lookup());
};

type Resolve = NonNullable<GraphQLFieldConfig<unknown, RequestContext>['resolve']>;
type Options = { readonly isRoot: boolean; readonly nullable: boolean };

/** The decision that lets the field's own resolver run; any other decision is the field's answer (null). */
const ALLOWED = Symbol('allowed');
type Decide = (...args: Parameters<Resolve>) => Promise<typeof ALLOWED | null>;

/**
 * The decision for one instance. Denied READ on a root field: null when the field may be null (exactly what a
 * missing instance answers), NOT_FOUND otherwise. Denied anything else: FORBIDDEN when the caller may read the
 * instance, NOT_FOUND (the context's own not-found error, so the two cannot be told apart) when they may not.
 * Denied CREATE: FORBIDDEN, whether or not the key exists. On an object field the caller already sees the parent,
 * so a denial there is FORBIDDEN.
 */
const decideInstance = (
  rule: AuthRule & { resource: Resource; action: Action },
  subjects: AccessSubjects,
  options: Options,
): Decide => {
  const subject = subjects[rule.resource];
  if (!subject) throw new Error(`@auth names the resource ${rule.resource}, which no context declares`);
  const notFound = (key: string): DomainError =>
    subject.notFound?.(key, rule.id ?? '') ??
    new DomainError('NotFound', 'NotFound', `No ${rule.resource.toLowerCase()} has this key`);
  const deny = (key: string, mayRead: boolean): null => {
    if (!options.isRoot) throw forbidden();
    if (rule.action === 'CREATE') throw forbiddenToCreate(rule.resource);
    if (rule.action !== 'READ') throw mayRead ? forbidden() : notFound(key);
    if (options.nullable) return null;
    throw notFound(key);
  };
  const keyOf = (parent: unknown, args: Record<string, unknown>): string | null => {
    const raw = rule.id ? valueAt(args, rule.id) : (parent as Record<string, unknown>)[rule.parentKey ?? ''];
    if (typeof raw !== 'string') return null;
    return rule.id && subject.keyFromArgument ? subject.keyFromArgument(raw) : raw;
  };
  return async (parent, args: Record<string, unknown>, context) => {
    const key = keyOf(parent, args);
    // A malformed key (a global id of another type) names nothing, for everyone.
    if (key === null) return deny('', false);
    const permissions = await context.access.permissions();
    const ownership = once(() => subject.ownership(key, context));
    if (await allows(permissions, rule.resource, rule.action, key, ownership)) return ALLOWED;
    const mayRead =
      !['READ', 'CREATE'].includes(rule.action) && (await allows(permissions, rule.resource, 'READ', key, ownership));
    return deny(key, mayRead);
  };
};

/** What a field's rule decides before its resolver runs. */
const decisionFor = (rule: AuthRule, subjects: AccessSubjects, options: Options): Decide => {
  if (!rule.resource || !rule.action) return async () => ALLOWED;
  const { resource, action } = rule;
  if (rule.id || rule.parentKey) return decideInstance({ ...rule, resource, action }, subjects, options);
  // A list (or a type-wide action): the caller needs the action on something; views then scope the rows.
  return async (_parent, _args, context) => {
    if (!grantsAny((await context.access.permissions()).grant(resource, action))) throw forbidden();
    return ALLOWED;
  };
};

/**
 * Wraps every @auth field so its rule runs before its resolver (and a Subscription field's `subscribe`): anonymous
 * callers first (UNAUTHENTICATED), then the resource check. Permissions are loaded once per request (`context.access`), so a hundred guarded fields
 * cost one query. Checked at load time: see `authRuleOf`.
 */
export const applyAuthDirective = (schema: GraphQLSchema, subjects: AccessSubjects): GraphQLSchema =>
  mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      const rule = authRuleOf(schema, typeName, field, fieldName);
      if (!rule) return field;
      const resolve = field.resolve ?? defaultFieldResolver;
      const isSubscription = typeName === schema.getSubscriptionType()?.name;
      const decide = decisionFor(rule, subjects, {
        isRoot: ROOT_TYPES.has(typeName),
        // A subscription cannot answer a denial with null: it is refused (subscribing), or ends (a delivery).
        nullable: !isNonNullType(field.type) && !isSubscription,
      });
      const guarded =
        (run: Resolve): Resolve =>
        async (parent, fieldArgs: Record<string, unknown>, context: RequestContext, info) => {
          if (context.access.principal === null) throw unauthenticated();
          const decision = await decide(parent, fieldArgs, context, info);
          return decision === ALLOWED ? run(parent, fieldArgs, context, info) : decision;
        };
      return {
        ...field,
        resolve: guarded(resolve),
        // Subscribing is checked like reading the field; each delivery then runs `resolve`, checked again with the
        // caller's permissions of that moment (platform/subscriptions/deliveries.ts gives each its own context).
        ...(isSubscription && field.subscribe ? { subscribe: guarded(field.subscribe) } : {}),
      };
    },
  });

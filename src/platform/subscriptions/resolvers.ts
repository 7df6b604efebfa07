/**
 * The Subscription resolvers, made from the feeds the contexts declare (no context writes a `subscribe`): a
 * subscriber follows the changes of its field for the value of the field's argument, and each change resolves to
 * what the feed reads for it. `@auth` wraps both (graphql/directives.ts): checked when subscribing, and again,
 * with the caller's permissions of the moment, before every delivery.
 */
import {
  getNamedType,
  GraphQLError,
  GraphQLSchema,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  parse,
  print,
  visit,
  type GraphQLFieldResolver,
} from 'graphql';
import type { Change, RequestContext, SubscriptionFeeds } from '../graphql/context.ts';

type FieldResolvers = {
  subscribe: GraphQLFieldResolver<unknown, RequestContext, Record<string, unknown>>;
  resolve: GraphQLFieldResolver<Change, RequestContext>;
};

const onlyOverWebSocket = (): GraphQLError =>
  new GraphQLError('Subscriptions are served over WebSocket (graphql-transport-ws) at this same URL', {
    extensions: { code: 'BAD_REQUEST' },
  });

export const subscriptionResolvers = (feeds: SubscriptionFeeds): { Subscription?: Record<string, FieldResolvers> } => {
  const entries = Object.entries(feeds);
  if (entries.length === 0) return {};
  return {
    Subscription: Object.fromEntries(
      entries.map(([field, feed]): [string, FieldResolvers] => [
        field,
        {
          subscribe: (_root, args, context) => {
            if (!context.changes) throw onlyOverWebSocket();
            return context.changes.follow(field, feed.argument === undefined ? '' : String(args[feed.argument]));
          },
          resolve: (change, _args, context) => feed.read(change, context),
        },
      ]),
    ),
  };
};

/**
 * Every Subscription field of the SDL has exactly one feed, and each feed's argument (when it names one) is a
 * required String or ID of its field; otherwise start-up stops, naming the field (a field nobody feeds would wait forever).
 */
export const assertFeedsMatchSubscriptions = (schema: GraphQLSchema, feeds: SubscriptionFeeds): void => {
  const type = schema.getSubscriptionType();
  const fields = type ? type.getFields() : {};
  const problems: string[] = [];
  for (const name of Object.keys(fields)) {
    if (!Object.hasOwn(feeds, name))
      problems.push(`Subscription.${name} is in the SDL, but no context's module feeds it`);
  }
  for (const [name, feed] of Object.entries(feeds)) {
    // A feed without its field never gets here: makeExecutableSchema refuses a resolver the SDL has no field for.
    const field = fields[name];
    if (!field || feed.argument === undefined) continue;
    const argument = field.args.find((each) => each.name === feed.argument);
    const named = argument && getNamedType(argument.type);
    if (!argument || !isNonNullType(argument.type) || !isScalarType(named) || !['String', 'ID'].includes(named.name)) {
      problems.push(`Subscription.${name} is followed by "${feed.argument}", which must be a String! or ID! argument`);
    }
  }
  if (problems.length > 0) throw new Error(`Subscriptions do not match their feeds:\n  ${problems.join('\n  ')}`);
};

/** A Subscription type nobody extends has no fields, which GraphQL does not allow: the schema then has none. */
export const withoutEmptySubscriptionType = (schema: GraphQLSchema): GraphQLSchema => {
  const type = schema.getSubscriptionType();
  if (!type || !isObjectType(type) || Object.keys(type.getFields()).length > 0) return schema;
  const config = schema.toConfig();
  return new GraphQLSchema({
    ...config,
    subscription: undefined,
    types: config.types.filter((each) => each !== type),
  });
};

/**
 * The same, on the SDL itself, for builders that validate the document before any schema exists (Apollo's
 * buildSubgraphSchema): the `Subscription` definition is dropped when no context adds a field to it.
 */
export const withoutEmptySubscriptionDefinition = (typeDefs: readonly string[]): readonly string[] => {
  const documents = typeDefs.map((text) => parse(text));
  let fields = 0;
  for (const document of documents) {
    visit(document, {
      ObjectTypeDefinition: (node) => void (node.name.value === 'Subscription' && (fields += node.fields?.length ?? 0)),
      ObjectTypeExtension: (node) => void (node.name.value === 'Subscription' && (fields += node.fields?.length ?? 0)),
    });
  }
  if (fields > 0) return typeDefs;
  const isSubscription = (node: { readonly kind: Kind; readonly name?: { readonly value: string } }) =>
    (node.kind === Kind.OBJECT_TYPE_DEFINITION || node.kind === Kind.OBJECT_TYPE_EXTENSION) &&
    node.name?.value === 'Subscription';
  return documents.map((document) =>
    print({ ...document, definitions: document.definitions.filter((node) => !isSubscription(node)) }),
  );
};

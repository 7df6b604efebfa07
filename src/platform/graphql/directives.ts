import { getDirective, MapperKind, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, isObjectType, type GraphQLSchema } from 'graphql';
import { DomainError } from '../../core/errors.ts';
import type { GraphQLContext } from './context.ts';

const ROOT_TYPES = ['Query', 'Mutation', 'Subscription'] as const;

/**
 * Locked down by default: every root field must say who may call it. A field with neither @public nor @auth
 * (or with both) stops the server at start-up, naming the field, so a forgotten guard can never ship.
 */
export const assertEveryRootFieldIsGuarded = (schema: GraphQLSchema): void => {
  const problems: string[] = [];
  for (const typeName of ROOT_TYPES) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const isPublic = Boolean(getDirective(schema, field, 'public')?.length);
      const isGuarded = Boolean(getDirective(schema, field, 'auth')?.length);
      if (isPublic === isGuarded) {
        problems.push(`${typeName}.${field.name} has ${isPublic ? 'both @public and @auth' : 'neither @public nor @auth'}`);
      }
    }
  }
  if (problems.length > 0) {
    throw new Error(`Every Query and Mutation field must declare who may call it:\n  ${problems.join('\n  ')}`);
  }
};

/** Wraps every @auth field so it refuses anonymous callers before its resolver runs. */
export const applyAuthDirective = (schema: GraphQLSchema): GraphQLSchema =>
  mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field) => {
      if (!getDirective(schema, field, 'auth')?.length) return field;
      const resolve = field.resolve ?? defaultFieldResolver;
      return {
        ...field,
        resolve: (parent, args, context: GraphQLContext, info) => {
          if (!context.viewer) {
            throw new DomainError('Unauthenticated', 'Unauthenticated', 'You must be signed in to do this');
          }
          return resolve(parent, args, context, info);
        },
      };
    },
  });

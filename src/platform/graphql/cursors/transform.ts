/**
 * Cursors that cannot be forged, for every connection of the schema, at the GraphQL boundary: a schema transform
 * (like @auth's) that signs every cursor on its way out and verifies `after`/`before` before the connection's
 * resolver runs. Resolvers, views and src/core/pagination.ts keep their own (inner) cursors and never see a signed
 * one; the inner cursor stays checked there too, as a second line.
 *
 * A connection is an object type with `edges` (a list of an object type with `cursor` and `node`) and `pageInfo`.
 * Its sort arguments are those named `orderBy`. A cursor is bound to the field that returned it, those arguments
 * and the caller (signing.ts), so it is refused, as BAD_USER_INPUT naming `after` or `before`, on any other
 * (docs/decisions/0009-signed-cursors.md).
 */
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import {
  defaultFieldResolver,
  getNamedType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLFieldConfig,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type GraphQLType,
} from 'graphql';
import { DomainError } from '../../../core/errors.ts';
import type { RequestContext } from '../context.ts';
import type { CursorBinding, CursorSigner } from './signing.ts';

const PAGE_CURSORS = ['after', 'before'] as const;
const SORT_ARGUMENTS = ['orderBy'];

type Resolver = GraphQLFieldResolver<unknown, RequestContext, Record<string, unknown>>;
type Path = GraphQLResolveInfo['path'];
type Shapes = { readonly connections: Set<string>; readonly edges: Set<string>; readonly pageInfos: Set<string> };

const unwrapped = (type: GraphQLType): GraphQLType => (isNonNullType(type) ? type.ofType : type);

/** Every connection type of the schema, with its edge and page-info types, by name. */
const connectionShapes = (schema: GraphQLSchema): Shapes => {
  const shapes: Shapes = { connections: new Set(), edges: new Set(), pageInfos: new Set() };
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const { edges, pageInfo } = type.getFields();
    if (!edges || !pageInfo || !isListType(unwrapped(edges.type))) continue;
    const edge = getNamedType(edges.type);
    if (!isObjectType(edge) || !edge.getFields().cursor || !edge.getFields().node) continue;
    shapes.connections.add(type.name);
    shapes.edges.add(edge.name);
    shapes.pageInfos.add(getNamedType(pageInfo.type).name);
  }
  return shapes;
};

/** Object keys in a stable order, so `{ a, b }` and `{ b, a }` bind alike. */
const canonical = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(canonical)
    : value !== null && typeof value === 'object'
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
        )
      : value;

/** A response path as a string (aliases included): where one occurrence of a connection field sits. */
const pathKey = (path: Path | undefined): string => {
  const keys: Array<string | number> = [];
  for (let at = path; at; at = at.prev) keys.push(at.key);
  return keys.reverse().join('/');
};

const ancestor = (path: Path, levels: number): Path | undefined => {
  let at: Path | undefined = path;
  for (let step = 0; step < levels && at; step += 1) at = at.prev;
  return at;
};

const invalidCursor = (field: (typeof PAGE_CURSORS)[number]): DomainError =>
  new DomainError(
    'InvalidInput',
    'InvalidCursor',
    `The ${field} cursor was not issued for this list, in this order, to you (or it was altered)`,
    { field },
  );

export const applyCursorSigning = (schema: GraphQLSchema, signer: CursorSigner): GraphQLSchema => {
  const shapes = connectionShapes(schema);
  // Per request (the context object), per occurrence of a connection field: what its cursors are bound to.
  const bindings = new WeakMap<object, Map<string, CursorBinding>>();
  const bindingsOf = (context: RequestContext): Map<string, CursorBinding> => {
    let known = bindings.get(context);
    if (!known) {
      known = new Map<string, CursorBinding>();
      bindings.set(context, known);
    }
    return known;
  };

  const connectionField = (field: GraphQLFieldConfig<unknown, RequestContext>, coordinate: string) => {
    const resolve = (field.resolve ?? defaultFieldResolver) as Resolver;
    const wrapped: Resolver = (parent, args, context, info) => {
      const sort = SORT_ARGUMENTS.filter((name) => args[name] !== undefined).map((name) => [name, args[name]]);
      const binding: CursorBinding = {
        field: coordinate,
        order: sort.length > 0 ? JSON.stringify(canonical(Object.fromEntries(sort))) : '',
        caller: context.viewer?.userId ?? '',
      };
      const verified = { ...args };
      for (const name of PAGE_CURSORS) {
        const presented = args[name];
        if (presented === undefined || presented === null) continue;
        const inner = typeof presented === 'string' ? signer.verify(presented, binding) : null;
        if (inner === null) throw invalidCursor(name);
        verified[name] = inner;
      }
      bindingsOf(context).set(pathKey(info.path), binding);
      return resolve(parent, verified, context, info);
    };
    return { ...field, resolve: wrapped };
  };

  /** A cursor field `levels` below its connection field (Edge.cursor: 3, through the list; PageInfo's: 2). */
  const signedCursorField = (field: GraphQLFieldConfig<unknown, RequestContext>, levels: number) => {
    const resolve = (field.resolve ?? defaultFieldResolver) as Resolver;
    const wrapped: Resolver = (parent, args, context, info) => {
      const sign = (inner: unknown): unknown => {
        if (inner === null || inner === undefined) return inner;
        if (typeof inner !== 'string') throw new Error(`the cursor at ${pathKey(info.path)} is not a string`);
        const binding = bindingsOf(context).get(pathKey(ancestor(info.path, levels)));
        // Fail closed: a cursor reached other than through its connection field cannot be bound, so is never given.
        if (!binding) throw new Error(`a cursor at ${pathKey(info.path)} is not below a connection field`);
        return signer.sign(inner, binding);
      };
      // Synchronous when the cursor is (a property of the edge): no promise per edge.
      const inner: unknown = resolve(parent, args, context, info);
      return inner instanceof Promise ? inner.then(sign) : sign(inner);
    };
    return { ...field, resolve: wrapped };
  };

  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      const typed = field as GraphQLFieldConfig<unknown, RequestContext>;
      if (shapes.connections.has(getNamedType(field.type).name)) {
        return connectionField(typed, `${typeName}.${fieldName}`);
      }
      if (shapes.edges.has(typeName) && fieldName === 'cursor') return signedCursorField(typed, 3);
      if (shapes.pageInfos.has(typeName) && (fieldName === 'startCursor' || fieldName === 'endCursor')) {
        return signedCursorField(typed, 2);
      }
      return field;
    },
  });
};

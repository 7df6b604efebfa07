import { MapperKind, mapSchema } from '@graphql-tools/utils';
import type { GraphQLSchema } from 'graphql';
import { createHash, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../../../core/errors.ts';
import type { RequestContext } from '../context.ts';
import { SHELL_GUARD } from '../auth-rules.ts';

/** The root fields a subgraph adds for its router: its SDL for composition, and entity resolution. */
export const ROUTER_FIELDS: readonly string[] = ['_service', '_entities'];

/** Recognises the router by the shared secret it sends in one header (its own config, see the how-to). */
export type RouterSecret = {
  /** The header, lower-cased as Node and Apollo's HeaderMap give header names. */
  readonly header: string;
  /** Whether a header value is the secret. Always false when no secret is configured. */
  presentedBy(value: string | readonly string[] | undefined): boolean;
};

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Compared through fixed-length digests in constant time: neither the secret nor its length leaks by timing. */
export const createRouterSecret = (header: string, secret: string | undefined): RouterSecret => {
  const expected = secret === undefined ? undefined : digest(secret);
  return {
    header: header.toLowerCase(),
    presentedBy: (value) =>
      expected !== undefined && typeof value === 'string' && timingSafeEqual(digest(value), expected),
  };
};

export type RouterGuard = {
  /**
   * Only requests presenting the router's secret may use `_service` and `_entities`. Off only where no secret is
   * configured, which the configuration refuses in production.
   */
  readonly secretRequired: boolean;
};

const notTheRouter = (): DomainError =>
  new DomainError('Forbidden', 'Forbidden', "Only the supergraph's router may use _service and _entities");

/**
 * Wraps `_service` and `_entities` in the router check and marks them so (`SHELL_GUARD`), so the start-up check
 * that every root field declares who may call it counts them as guarded, and would stop a subgraph whose router
 * fields were left open.
 */
export const guardRouterFields = (schema: GraphQLSchema, guard: RouterGuard): GraphQLSchema =>
  mapSchema(schema, {
    [MapperKind.QUERY_ROOT_FIELD]: (field, fieldName) => {
      if (!ROUTER_FIELDS.includes(fieldName) || !field.resolve) return field;
      const resolve = field.resolve;
      return {
        ...field,
        extensions: { ...field.extensions, [SHELL_GUARD]: "the supergraph router's shared secret" },
        resolve: (parent, args, context: RequestContext, info) => {
          if (guard.secretRequired && context.presentsRouterSecret !== true) throw notTheRouter();
          return resolve(parent, args, context, info);
        },
      };
    },
  });

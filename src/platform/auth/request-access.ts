import { NO_PERMISSIONS, scopeOf, type Permissions, type ReadScope } from '../../core/access.ts';
import type { RequestAccess } from '../graphql/context.ts';

/**
 * A request's caller and their permissions, asked for on first use and shared by every field of the request: one
 * query per request at most (none for anonymous callers, requests that touch no guarded resource, or when `load`
 * answers from the API process's cache, which every change of roles invalidates before it answers: see
 * docs/decisions/0010-permissions-cached-per-process.md), so a role granted or revoked applies from the caller's
 * next request on.
 */
export const createRequestAccess = (
  principal: string | null,
  load: (userId: string) => Promise<Permissions>,
): RequestAccess & { readonly readScope: ReadScope } => {
  let loaded: Promise<Permissions> | undefined;
  const permissions = (): Promise<Permissions> =>
    principal === null ? Promise.resolve(NO_PERMISSIONS) : (loaded ??= load(principal));
  return { principal, permissions, readScope: async (resource) => scopeOf(await permissions(), resource) };
};

import type { ReadScope, Resource, Scope } from '../../src/core/access.ts';

/** A read scope that always answers `scope`, recording which resources it was asked about. */
export const fixedScope = (scope: Scope): ReadScope & { asked: Resource[] } => {
  const asked: Resource[] = [];
  return Object.assign(
    async (resource: Resource) => {
      asked.push(resource);
      return scope;
    },
    { asked },
  );
};

export const keysScope = (keys: readonly string[], ownerId: string | null = null): Scope => ({
  every: false,
  keys,
  ownerId,
});
export const NOTHING: Scope = keysScope([]);

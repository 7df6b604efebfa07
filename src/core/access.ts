/**
 * The vocabulary of authorization, shared by every context (kingdom-python-server's resource/selector model):
 * a role holds policies; a policy grants actions on a resource type for a set of selectors. Pure data and
 * functions: the access context stores roles, the GraphQL shell decides per field, and views turn a caller's
 * grant into SQL (`ReadScope`), so lists are scoped in the database rather than filtered afterwards.
 */

/**
 * A kind of thing policies grant actions on (PRODUCT, USER...). Each bounded context declares the resources it owns
 * in its module (src/<context>/module.ts) and in its SDL (`extend enum Resource`); the shell checks at start-up that
 * the two lists agree, so the kernel names none of them.
 */
export type Resource = string;

/** What an instance key of one resource looks like (a SKU, a UUID...), and how to say so in an error. */
export type KeyFormat = { readonly valid: (key: string) => boolean; readonly is: string };

/** Every resource the running application knows, with its key format: what policies may name. */
export type ResourceCatalog = ReadonlyMap<Resource, KeyFormat>;

export const ACTIONS = ['READ', 'CREATE', 'UPDATE', 'DELETE'] as const;
export type Action = (typeof ACTIONS)[number];

/** Selects every instance of the resource. */
export const EVERY = '*';
/** Selects the instances the caller owns (what "owns" means is each resource's: see README "Authorization"). */
export const OWNER = 'OWNER';

/** Any other selector is an instance key: a SKU, a batch reference, a user's UUID, a role name. */
export type Policy = {
  readonly resource: Resource;
  readonly actions: readonly Action[];
  readonly selectors: readonly string[];
};

/** What a caller may do for one (resource, action): the union of the selectors of every policy that grants it. */
export type Grant = {
  readonly every: boolean;
  readonly owned: boolean;
  readonly keys: ReadonlySet<string>;
};

/** A caller's effective permissions: the union of the policies of every role they hold. */
export type Permissions = {
  /** The caller's user id; null for anonymous callers, who hold no roles. */
  readonly principal: string | null;
  /** The names of the roles the caller holds (ROLE's OWNER selector means these). */
  readonly roles: ReadonlySet<string>;
  grant(resource: Resource, action: Action): Grant;
};

const NOTHING: Grant = { every: false, owned: false, keys: new Set() };

export const permissionsFrom = (
  principal: string | null,
  roles: Iterable<string>,
  policies: Iterable<Policy>,
): Permissions => {
  const grants = new Map<string, { every: boolean; owned: boolean; keys: Set<string> }>();
  for (const policy of policies) {
    for (const action of policy.actions) {
      const slot = `${policy.resource}:${action}`;
      const grant = grants.get(slot) ?? { every: false, owned: false, keys: new Set<string>() };
      for (const selector of policy.selectors) {
        if (selector === EVERY) grant.every = true;
        else if (selector === OWNER) grant.owned = principal !== null;
        else grant.keys.add(selector);
      }
      grants.set(slot, grant);
    }
  }
  return {
    principal,
    roles: new Set(roles),
    grant: (resource, action) => grants.get(`${resource}:${action}`) ?? NOTHING,
  };
};

/** Anonymous callers: nothing beyond the fields marked @public. */
export const NO_PERMISSIONS: Permissions = permissionsFrom(null, [], []);

/** True when the grant selects at least one possible instance (a list field may then be asked for). */
export const grantsAny = (grant: Grant): boolean => grant.every || grant.owned || grant.keys.size > 0;

/**
 * Which rows of a resource a view may return, as data the adapter turns into a WHERE clause:
 * every row, or the rows whose key is listed or (when `ownerId` is set) that `ownerId` owns.
 * `{ every: false, keys: [], ownerId: null }` selects nothing.
 */
export type Scope =
  | { readonly every: true }
  | { readonly every: false; readonly keys: readonly string[]; readonly ownerId: string | null };

export const EVERYTHING: Scope = { every: true };

export const scopeOf = (permissions: Permissions, resource: Resource, action: Action = 'READ'): Scope => {
  const grant = permissions.grant(resource, action);
  if (grant.every) return EVERYTHING;
  return { every: false, keys: [...grant.keys].sort(), ownerId: grant.owned ? permissions.principal : null };
};

/** How a view learns the caller's read scope of a resource (loaded at most once per request). */
export type ReadScope = (resource: Resource) => Promise<Scope>;

/** For code outside a request (seeding, migrations of data, tests of views without authorization). */
export const readEverything: ReadScope = async () => EVERYTHING;

/** What the shell knows about one instance when deciding: does it exist, and does the caller own it? */
export type Ownership = { readonly exists: boolean; readonly owned: boolean };

/**
 * May the caller do `action` on the instance `key`? `ownership` is asked only when the answer hangs on it (an
 * OWNER selector and no explicit grant), so most checks cost no query. CREATE with OWNER allows an instance that
 * does not exist yet: its creator becomes its owner.
 */
export const allows = async (
  permissions: Permissions,
  resource: Resource,
  action: Action,
  key: string,
  ownership: () => Promise<Ownership>,
): Promise<boolean> => {
  const grant = permissions.grant(resource, action);
  if (grant.every || grant.keys.has(key)) return true;
  if (!grant.owned) return false;
  const { exists, owned } = await ownership();
  return owned || (action === 'CREATE' && !exists);
};

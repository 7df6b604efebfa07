/**
 * Orders the access context accepts. Policies arrive as drafts (plain strings, as a client sent them) and are
 * checked by the domain; the GraphQL resolver has already turned User global ids into UUIDs.
 */
export type PolicyDraft = {
  readonly resource: string;
  readonly actions: readonly string[];
  readonly selectors: readonly string[];
};

export type CreateRole = {
  readonly type: 'CreateRole';
  readonly name: string;
  readonly policies: readonly PolicyDraft[];
};
export type UpdateRolePolicies = {
  readonly type: 'UpdateRolePolicies';
  readonly name: string;
  readonly policies: readonly PolicyDraft[];
  /** The role's version the client read (Role.version): refused with CONFLICT when it has changed since. */
  readonly expectedVersion?: number | null;
};
export type DeleteRole = { readonly type: 'DeleteRole'; readonly name: string };
/** `userId` is a UUID. */
export type GrantRole = { readonly type: 'GrantRole'; readonly userId: string; readonly role: string };
export type RevokeRole = { readonly type: 'RevokeRole'; readonly userId: string; readonly role: string };

export type AccessCommand = CreateRole | UpdateRolePolicies | DeleteRole | GrantRole | RevokeRole;

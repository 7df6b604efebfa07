import type { Page, PageArgs } from '../../core/pagination.ts';

/** Read side of identity: what resolvers receive for `User` (codegen mapper). */
export type UserView = {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly roles: string[];
  readonly createdAt: Date;
};

export type UserPage = Page<UserView>;

/** `userById`, `usersById` and `users` are scoped to what the caller may READ of USER (their `ReadScope`), in the SQL. */
export type IdentityViews = {
  userById(id: string): Promise<UserView | null>;
  /** Many at once, in one statement (a supergraph router's references): one answer per id, in order. */
  usersById(ids: readonly string[]): Promise<Array<UserView | null>>;
  /** By email; keyset-paged; invalid page arguments are InvalidInput errors. */
  users(args: PageArgs): Promise<UserPage>;
  /** Unscoped: the caller's own account (`viewer`, sign-in payloads), which everyone may read. */
  signedInUser(id: string): Promise<UserView | null>;
  /** Unscoped: whether an account with this id exists (authorization decides with it). */
  userExists(id: string): Promise<boolean>;
};

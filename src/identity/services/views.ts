/** Read side of identity: what resolvers receive for `User` (codegen mapper). */
export type UserView = {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly roles: string[];
  readonly createdAt: Date;
};

export type IdentityViews = {
  userById(id: string): Promise<UserView | null>;
};

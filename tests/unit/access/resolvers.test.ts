import { jest } from '@jest/globals';
import { toGlobalId } from 'graphql-relay';
import { accessResolvers, accessResources } from '../../../src/access/entrypoints/resolvers.ts';
import type { RoleView } from '../../../src/access/services/views.ts';
import { permissionsFrom } from '../../../src/core/access.ts';
import { DomainError } from '../../../src/core/errors.ts';
import type { GraphQLContext } from '../../../src/contexts.ts';

const ADA_ID = '5d9f0a52-8a0e-4d3b-9d5c-1f2e3a4b5c6d';
const ADA = toGlobalId('User', ADA_ID);

/** Just what these resolvers touch: the bus, the access views and the caller's permissions. */
const contextWith = (roles: Record<string, RoleView> = {}) => {
  const execute = jest.fn(async (command: { type: string }) => ({ command }));
  const context = {
    bus: { execute },
    views: { access: { roleByName: async (name: string) => roles[name] ?? null } },
    access: { principal: ADA_ID, permissions: async () => permissionsFrom(ADA_ID, ['clerk'], []) },
  } as unknown as GraphQLContext;
  return { context, execute };
};

// Codegen types a resolver as a function or an object with `resolve`; these are all plain functions.
type AnyResolver = (
  parent: unknown,
  args: unknown,
  context: GraphQLContext,
  info: unknown,
) => Promise<unknown> | unknown;
const mutation = (name: 'createRole' | 'updateRolePolicies' | 'grantRole' | 'revokeRole') =>
  accessResolvers.Mutation?.[name] as unknown as AnyResolver;

/** The DomainError a resolver throws or rejects with. */
const rejection = async (resolve: () => unknown): Promise<DomainError> => {
  try {
    await resolve();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
};

describe('the access resolvers', () => {
  it('send role policies with User ids turned into UUIDs, leaving "*", OWNER and other keys as they are', async () => {
    const { context, execute } = contextWith();
    const policies = [
      { resource: 'USER', actions: ['READ'], selectors: ['*', 'OWNER', ADA] },
      { resource: 'PRODUCT', actions: ['READ'], selectors: ['LAMP'] },
    ];

    await mutation('createRole')({}, { input: { name: 'clerk', policies } }, context, {});

    expect(execute).toHaveBeenCalledWith({
      type: 'CreateRole',
      name: 'clerk',
      policies: [
        { resource: 'USER', actions: ['READ'], selectors: ['*', 'OWNER', ADA_ID] },
        { resource: 'PRODUCT', actions: ['READ'], selectors: ['LAMP'] },
      ],
    });
  });

  it.each([
    ['a malformed id', 'not-a-global-id'],
    ["another type's id", toGlobalId('Product', 'LAMP')],
    ['a raw UUID', ADA_ID],
  ])('refuse %s as a USER selector as bad input at its path, sending nothing', async (_case, selector) => {
    const { context, execute } = contextWith();
    const policies = [
      { resource: 'PRODUCT', actions: ['READ'], selectors: ['*'] },
      { resource: 'USER', actions: ['READ'], selectors: [ADA, selector] },
    ];

    const error = await rejection(() =>
      mutation('updateRolePolicies')({}, { input: { name: 'clerk', policies } }, context, {}),
    );

    expect(error).toMatchObject({ category: 'InvalidInput', details: { field: 'input.policies[1].selectors[1]' } });
    expect(execute).not.toHaveBeenCalled();
  });

  it.each(['grantRole', 'revokeRole'] as const)('%s sends the UUID inside the User id', async (name) => {
    const { context, execute } = contextWith();

    await mutation(name)({}, { input: { userId: ADA, role: 'clerk' } }, context, {});

    expect(execute).toHaveBeenCalledWith({
      type: name === 'grantRole' ? 'GrantRole' : 'RevokeRole',
      userId: ADA_ID,
      role: 'clerk',
    });
  });

  it('answers NotFound for a userId that is no User id, sending nothing', async () => {
    const { context, execute } = contextWith();

    const error = await rejection(() =>
      mutation('grantRole')({}, { input: { userId: toGlobalId('Role', 'x'), role: 'clerk' } }, context, {}),
    );

    expect(error).toMatchObject({ category: 'NotFound', name: 'UserNotFound', details: { field: 'input.userId' } });
    expect(execute).not.toHaveBeenCalled();
  });

  it('show USER selectors as User ids, and every other selector as stored', async () => {
    const policies = accessResolvers.Role?.policies as unknown as AnyResolver;
    const role: RoleView = {
      name: 'clerk',
      builtIn: false,
      version: 1,
      policies: [
        { resource: 'USER', actions: ['READ'], selectors: ['OWNER', ADA_ID] },
        { resource: 'ROLE', actions: ['READ'], selectors: ['clerk'] },
      ],
    };

    expect(await policies(role, {}, contextWith().context, {})).toEqual([
      { resource: 'USER', actions: ['READ'], selectors: ['OWNER', ADA] },
      { resource: 'ROLE', actions: ['READ'], selectors: ['clerk'] },
    ]);
  });

  it('tell @auth that a role exists when stored, and that the caller owns the roles they hold', async () => {
    const clerk: RoleView = { name: 'clerk', builtIn: false, version: 1, policies: [] };
    const { context } = contextWith({ clerk, auditor: { ...clerk, name: 'auditor' } });

    expect(await accessResources.ROLE.subject.ownership('clerk', context)).toEqual({ exists: true, owned: true });
    expect(await accessResources.ROLE.subject.ownership('auditor', context)).toEqual({ exists: true, owned: false });
    expect(await accessResources.ROLE.subject.ownership('ghost', context)).toEqual({ exists: false, owned: false });
  });
});

import { DomainError } from '../../core/errors.ts';

/**
 * The access failures a caller sees. Factories, not constants, so each throw gets its own stack. `field` is the
 * path of the offending input (e.g. `input.policies[1].selectors[0]`), so a client can point at it.
 */
export const invalidRoleName = (field: string): DomainError =>
  new DomainError(
    'InvalidInput',
    'InvalidRoleName',
    "A role name is 1-63 characters: a lower-case letter, then lower-case letters, digits, '_' or '-'",
    { field },
  );

export const invalidPolicy = (field: string, message: string): DomainError =>
  new DomainError('InvalidInput', 'InvalidPolicy', message, { field });

export const roleExists = (name: string): DomainError =>
  new DomainError('InvalidInput', 'RoleExists', `A role named ${name} already exists`, { field: 'input.name' });

export const roleNotFound = (name: string, field: string): DomainError =>
  new DomainError('NotFound', 'RoleNotFound', `There is no role ${name}`, { field });

export const userNotFound = (): DomainError =>
  new DomainError('NotFound', 'UserNotFound', 'There is no such user', { field: 'input.userId' });

export const builtInRole = (name: string, what: string): DomainError =>
  new DomainError('Forbidden', 'BuiltInRole', `${name} is a built-in role: it cannot be ${what}`, {
    field: 'input.name',
  });

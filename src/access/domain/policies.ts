import { ACTIONS, EVERY, OWNER, type Action, type Policy, type ResourceCatalog } from '../../core/access.ts';
import { isUuid } from '../../core/uuid.ts';
import type { PolicyDraft } from './commands.ts';
import { invalidPolicy, invalidRoleName } from './errors.ts';

const ROLE_NAME = /^[a-z][a-z0-9_-]{0,62}$/;

/** User ids are uuid columns: anything else names nobody (and Postgres would reject it as a syntax error). */
export { isUuid };

export const isRoleName = (value: string): boolean => ROLE_NAME.test(value);

export const roleName = (value: string, field = 'input.name'): string => {
  if (!isRoleName(value)) throw invalidRoleName(field);
  return value;
};

const isAction = (value: string): value is Action => (ACTIONS as readonly string[]).includes(value);

const parseActions = (raw: readonly string[], field: string): Action[] => {
  if (raw.length === 0) throw invalidPolicy(field, 'A policy grants at least one action');
  raw.forEach((action, index) => {
    if (!isAction(action)) throw invalidPolicy(`${field}[${index}]`, `An action is one of ${ACTIONS.join(', ')}`);
  });
  return [...new Set(raw as readonly Action[])];
};

const parseSelectors = (
  format: { readonly valid: (key: string) => boolean; readonly is: string },
  resource: string,
  raw: readonly string[],
  field: string,
): string[] => {
  if (raw.length === 0) throw invalidPolicy(field, 'A policy has at least one selector');
  raw.forEach((selector, index) => {
    if (selector !== EVERY && selector !== OWNER && !format.valid(selector)) {
      throw invalidPolicy(`${field}[${index}]`, `A ${resource} selector is "${EVERY}", "${OWNER}" or ${format.is}`);
    }
  });
  return [...new Set(raw)];
};

/**
 * Checks policies as a client sent them, in order, against the resources the application's contexts declare (each
 * with the format of its instance keys), and returns them typed, duplicates of actions and selectors dropped. The
 * first problem throws an InvalidInput DomainError whose `field` is its exact path under `field`. Idempotent:
 * parsing parsed policies returns equal ones.
 */
export const parsePolicies = (
  raw: readonly PolicyDraft[],
  resources: ResourceCatalog,
  field = 'input.policies',
): Policy[] =>
  raw.map((draft, index) => {
    const at = `${field}[${index}]`;
    const format = resources.get(draft.resource);
    if (!format) {
      throw invalidPolicy(`${at}.resource`, `A resource is one of ${[...resources.keys()].join(', ')}`);
    }
    return {
      resource: draft.resource,
      actions: parseActions(draft.actions, `${at}.actions`),
      selectors: parseSelectors(format, draft.resource, draft.selectors, `${at}.selectors`),
    };
  });

import { ACTIONS, EVERY, OWNER, RESOURCES, type Action, type Policy, type Resource } from '../../core/access.ts';
import type { PolicyDraft } from './commands.ts';
import { invalidPolicy, invalidRoleName } from './errors.ts';

const ROLE_NAME = /^[a-z][a-z0-9_-]{0,62}$/;
/**
 * SKUs and batch references: the same format as inventory's `identifier` (src/inventory/domain/values.ts), copied
 * because one context's domain never imports another's. A selector naming a product that does not exist (yet) is
 * fine: it simply matches nothing until it does.
 */
const INVENTORY_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** User ids are uuid columns: anything else names nobody (and Postgres would reject it as a syntax error). */
export const isUuid = (value: string): boolean => UUID.test(value);

export const isRoleName = (value: string): boolean => ROLE_NAME.test(value);

export const roleName = (value: string, field = 'input.name'): string => {
  if (!isRoleName(value)) throw invalidRoleName(field);
  return value;
};

/** What an instance key of each resource looks like, and how to say so. */
const keyFormats: Readonly<Record<Resource, { readonly valid: (key: string) => boolean; readonly is: string }>> = {
  PRODUCT: { valid: (key) => INVENTORY_KEY.test(key), is: 'a SKU' },
  BATCH: { valid: (key) => INVENTORY_KEY.test(key), is: 'a batch reference' },
  USER: { valid: isUuid, is: 'a User id' },
  ROLE: { valid: isRoleName, is: 'a role name' },
  JOB: { valid: (key) => /^\d{1,19}$/.test(key), is: 'a job id' },
};

const isResource = (value: string): value is Resource => (RESOURCES as readonly string[]).includes(value);
const isAction = (value: string): value is Action => (ACTIONS as readonly string[]).includes(value);

const parseActions = (raw: readonly string[], field: string): Action[] => {
  if (raw.length === 0) throw invalidPolicy(field, 'A policy grants at least one action');
  raw.forEach((action, index) => {
    if (!isAction(action)) throw invalidPolicy(`${field}[${index}]`, `An action is one of ${ACTIONS.join(', ')}`);
  });
  return [...new Set(raw as readonly Action[])];
};

const parseSelectors = (resource: Resource, raw: readonly string[], field: string): string[] => {
  if (raw.length === 0) throw invalidPolicy(field, 'A policy has at least one selector');
  const format = keyFormats[resource];
  raw.forEach((selector, index) => {
    if (selector !== EVERY && selector !== OWNER && !format.valid(selector)) {
      throw invalidPolicy(`${field}[${index}]`, `A ${resource} selector is "${EVERY}", "${OWNER}" or ${format.is}`);
    }
  });
  return [...new Set(raw)];
};

/**
 * Checks policies as a client sent them, in order, and returns them typed, duplicates of actions and selectors
 * dropped. The first problem throws an InvalidInput DomainError whose `field` is its exact path under `field`.
 * Idempotent: parsing parsed policies returns equal ones.
 */
export const parsePolicies = (raw: readonly PolicyDraft[], field = 'input.policies'): Policy[] =>
  raw.map((draft, index) => {
    const at = `${field}[${index}]`;
    if (!isResource(draft.resource)) {
      throw invalidPolicy(`${at}.resource`, `A resource is one of ${RESOURCES.join(', ')}`);
    }
    return {
      resource: draft.resource,
      actions: parseActions(draft.actions, `${at}.actions`),
      selectors: parseSelectors(draft.resource, draft.selectors, `${at}.selectors`),
    };
  });

import { sql } from 'slonik';
import { z } from 'zod';
import { ACTIONS } from '../../core/access.ts';

/**
 * Row shapes at the adapter edge; every row is checked against these (see platform/database/pool.ts). Policies
 * are stored as JSON, so a hand-edited row with an unknown action fails here, loudly, instead of granting something
 * nobody can read back. Resources are whatever the contexts declare; the views leave out those no context does.
 */
export const policyJson = z.object({
  resource: z.string(),
  actions: z.array(z.enum(ACTIONS)),
  selectors: z.array(z.string()),
});

export const roleRow = z.object({
  name: z.string(),
  builtIn: z.boolean(),
  policies: z.array(policyJson),
  version: z.number().int(),
});

export const roleColumns = sql.fragment`roles.name, roles.built_in AS "builtIn", roles.policies, roles.version`;

/** Ids are uuid columns: anything else can match no row, and Postgres would reject it as a syntax error. */
export { isUuid } from '../domain/policies.ts';

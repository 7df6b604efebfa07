/**
 * The outer layers of a generated context: slonik adapters, GraphQL resolvers, the SDL file and the migration.
 */
import { REFERENCE_RULE } from './context-core.ts';
import type { ContextNames } from '../names.ts';

export const adapterRepository = (
  n: ContextNames,
): string => `import { sql, type DatabaseTransactionConnection } from 'slonik';
import { z } from 'zod';
import { ConcurrentUpdateError } from '../../core/errors.ts';
import type { EventRecorder } from '../../core/ports.ts';
import type { ${n.Aggregate}Repository } from '../services/ports.ts';

/** Rows are checked at the adapter edge (platform/database/pool.ts validates every typed query). */
const ${n.aggregate}Row = z.object({
  reference: z.string(),
  ownerId: z.string().nullable(),
  createdAt: z.date(),
  version: z.number().int(),
});
const saved = z.object({ reference: z.string() });

/**
 * ${n.Aggregate}s, each save guarded by the version it was loaded at. A reference taken by a transaction that
 * committed meanwhile is reported as ConcurrentUpdateError, never as an SQL error (which would abort the
 * transaction): the unit of work retries and the handler's own "exists" check then reports it. ON CONFLICT names
 * no target because the reference is the only unique key, and because pg-mem (integration tests) returns the
 * existing row from \`ON CONFLICT (reference) DO NOTHING RETURNING\`.
 */
export const create${n.Aggregate}Repository = (
  connection: DatabaseTransactionConnection,
  events: EventRecorder,
): ${n.Aggregate}Repository => ({
  async get(reference) {
    const row = await connection.maybeOne(sql.type(${n.aggregate}Row)\`
      SELECT reference, owner_id AS "ownerId", created_at AS "createdAt", version
      FROM ${n.table} WHERE reference = \${reference}\`);
    return row && { ...row, events: [] };
  },

  async save(${n.aggregate}) {
    const written =
      ${n.aggregate}.version === 0
        ? await connection.maybeOneFirst(sql.type(saved)\`
            INSERT INTO ${n.table} (reference, owner_id, created_at, version)
            VALUES (\${${n.aggregate}.reference}, \${${n.aggregate}.ownerId}, \${sql.timestamp(${n.aggregate}.createdAt)}, 1)
            ON CONFLICT DO NOTHING
            RETURNING reference\`)
        : await connection.maybeOneFirst(sql.type(saved)\`
            UPDATE ${n.table} SET version = version + 1
            WHERE reference = \${${n.aggregate}.reference} AND version = \${${n.aggregate}.version}
            RETURNING reference\`);
    if (written === null) throw new ConcurrentUpdateError(\`${n.Aggregate} \${${n.aggregate}.reference}\`);
    events.record(${n.aggregate}.events);
  },
});
`;

export const adapterViews = (n: ContextNames): string => `import { sql, type CommonQueryMethods } from 'slonik';
import { z } from 'zod';
import type { ${n.Context}Views } from '../services/views.ts';

const ${n.aggregate}ViewRow = z.object({ reference: z.string(), version: z.number().int(), createdAt: z.date() });
const ownerRow = z.object({ ownerId: z.string().nullable() });

/** Read queries of ${n.context}, straight from the write table (no read model needed yet). */
export const create${n.Context}Views = (db: CommonQueryMethods): ${n.Context}Views => ({
  ${n.aggregate}ByReference: (reference) =>
    db.maybeOne(sql.type(${n.aggregate}ViewRow)\`
      SELECT reference, version, created_at AS "createdAt" FROM ${n.table} WHERE reference = \${reference}\`),

  ${n.aggregate}Owner: (reference) =>
    db.maybeOne(sql.type(ownerRow)\`SELECT owner_id AS "ownerId" FROM ${n.table} WHERE reference = \${reference}\`),
});
`;

export const entrypointResolvers = (
  n: ContextNames,
): string => `import type { Resolvers } from '../../generated/graphql.ts';
import type { AccessSubjects } from '../../platform/graphql/context.ts';
import { ${n.aggregate}NotFound } from '../domain/errors.ts';

/**
 * Thin: each mutation is one command, each payload reads back through the views. No authorization here: @auth in
 * schema/${n.context}.graphql decides before a resolver runs.
 */

/** A ${n.spoken} this request's command has just written: gone only if a concurrent change removed it. */
const written = async <T>(row: Promise<T | null>, reference: string): Promise<T> => {
  const found = await row;
  if (found === null) throw new Error(\`${n.Aggregate} \${reference} disappeared while it was being read back\`);
  return found;
};

export const ${n.context}Resolvers: Resolvers = {
  Query: {
    ${n.aggregate}: (_parent, { reference }, { views }) => views.${n.context}.${n.aggregate}ByReference(reference),
  },

  Mutation: {
    create${n.Aggregate}: (_parent, { input }, { bus, access }) =>
      bus.execute({ type: 'Create${n.Aggregate}', reference: input.reference, ownerId: access.principal }),
    // generate: mutations
  },

  Create${n.Aggregate}Payload: {
    ${n.aggregate}: ({ reference }, _args, { views }) => written(views.${n.context}.${n.aggregate}ByReference(reference), reference),
  },
  // generate: payloads
};

/**
 * How @auth learns about a ${n.spoken}: it exists when stored, and its creator owns it (${n.resource}'s OWNER
 * selector). A denial for a caller who may not read it answers the handlers' own ${n.Aggregate}NotFound.
 */
export const ${n.context}Subjects: Pick<AccessSubjects, '${n.resource}'> = {
  ${n.resource}: {
    ownership: async (reference, { views, access }) => {
      const owner = await views.${n.context}.${n.aggregate}Owner(reference);
      return { exists: owner !== null, owned: owner?.ownerId != null && owner.ownerId === access.principal };
    },
    notFound: ${n.aggregate}NotFound,
  },
};
`;

export const sdl = (
  n: ContextNames,
): string => `# ${n.Context}: ${n.spokenPlural}, each known by its reference (made by \`npm run generate -- context ${n.context}\`).
# Every root field says who may call it with @auth on the ${n.resource} resource; the administrator holds every
# action on it, other roles get it through policies (createRole / updateRolePolicies).

"A ${n.spoken}, known by its reference."
type ${n.Aggregate} {
  reference: String!
  "Bumped by one with every committed change."
  version: Int!
  createdAt: DateTime!
}

input Create${n.Aggregate}Input {
  "${REFERENCE_RULE}."
  reference: String!
}

type Create${n.Aggregate}Payload {
  ${n.aggregate}: ${n.Aggregate}!
}

# generate: types

extend type Query {
  "The ${n.spoken} with this reference; null when there is none, or the caller may not read it."
  ${n.aggregate}(reference: String!): ${n.Aggregate} @auth(resource: ${n.resource}, action: READ, id: "reference")
}

extend type Mutation {
  "Creates a ${n.spoken}, owned by the caller. Errors: BAD_USER_INPUT (a malformed reference, or one taken)."
  create${n.Aggregate}(input: Create${n.Aggregate}Input!): Create${n.Aggregate}Payload!
    @auth(resource: ${n.resource}, action: CREATE, id: "input.reference")
  # generate: mutations
}
`;

/** Appended to migrations/current.sql; `adminPolicies` is the administrator's full policy list as JSON. */
export const migration = (n: ContextNames, adminPolicies: string): string => `
-- ${n.context} (npm run generate -- context ${n.context}): ${n.spokenPlural}, each saved over the version it was loaded at
-- (1 when created, bumped by one per change) and owned by whoever created it (${n.resource}'s OWNER selector).
create table if not exists ${n.table} (
  reference text primary key,
  owner_id uuid constraint ${n.table}_owner_id_fkey references users (id) on delete set null,
  created_at timestamptz not null,
  version integer not null check (version > 0)
);

-- The administrator may do everything: every action on every resource, ${n.resource} included.
update roles set policies = '${adminPolicies}'
where name = 'admin';
`;

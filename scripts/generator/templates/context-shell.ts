/** The outer layers of a generated context: slonik adapters, the SDL file and the migration. */
import { REFERENCE_RULE } from './context-core.ts';
import { pascal, type ContextNames } from '../names.ts';

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

export const adapterViews = (
  n: ContextNames,
): string => `import { sql, type CommonQueryMethods, type FragmentSqlToken } from 'slonik';
import { z } from 'zod';
import type { ReadScope } from '../../core/access.ts';
import { isUuid } from '../../core/uuid.ts';
import type { ${n.Context}Views } from '../services/views.ts';

const ${n.aggregate}ViewRow = z.object({ reference: z.string(), version: z.number().int(), createdAt: z.date() });
const ownerRow = z.object({ ownerId: z.string().nullable() });

const REFERENCE = sql.identifier(['${n.table}', 'reference']);

/**
 * The ${n.spokenPlural} the caller may READ, as a WHERE condition: every one, those named by reference, or (OWNER)
 * those they created. An empty scope is \`FALSE\`, never an empty \`IN ()\`; keys are matched with \`IN (...)\`,
 * which pg-mem (integration tests) gets right where it gets \`= ANY(array)\` wrong.
 */
const readable = async (readScope: ReadScope): Promise<FragmentSqlToken> => {
  const scope = await readScope('${n.resource}');
  if (scope.every) return sql.fragment\`TRUE\`;
  const allowed: FragmentSqlToken[] = [];
  if (scope.keys.length > 0) allowed.push(sql.fragment\`\${REFERENCE} IN (\${sql.join(scope.keys, sql.fragment\`, \`)})\`);
  if (scope.ownerId !== null && isUuid(scope.ownerId)) {
    allowed.push(sql.fragment\`${n.table}.owner_id = \${scope.ownerId}::uuid\`);
  }
  return allowed.length === 0 ? sql.fragment\`FALSE\` : sql.fragment\`(\${sql.join(allowed, sql.fragment\` OR \`)})\`;
};

/**
 * Read queries of ${n.context} for one request, straight from the write table (no read model needed yet), scoped to
 * what \`readScope\` (the caller's) lets them read.
 */
export const create${n.Context}Views = (db: CommonQueryMethods, readScope: ReadScope): ${n.Context}Views => ({
  ${n.aggregate}ByReference: async (reference) =>
    db.maybeOne(sql.type(${n.aggregate}ViewRow)\`
      SELECT reference, version, created_at AS "createdAt" FROM ${n.table}
      WHERE \${REFERENCE} = \${reference} AND \${await readable(readScope)}\`),

  ${n.aggregate}Owner: (reference) =>
    db.maybeOne(sql.type(ownerRow)\`SELECT owner_id AS "ownerId" FROM ${n.table} WHERE \${REFERENCE} = \${reference}\`),
});
`;

export const sdl = (
  n: ContextNames,
): string => `# ${n.Context}: ${n.spokenPlural}, each known by its reference (made by \`npm run generate -- context ${n.context}\`).
# Every root field says who may call it with @auth on the ${n.resource} resource; the administrator holds every
# action on it, other roles get it through policies (createRole / updateRolePolicies).

extend enum Resource {
  "${pascal(n.spokenPlural)} of the ${n.context} context, by reference. Owned by whoever created the ${n.spoken}."
  ${n.resource}
}

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

extend type Subscription {
  """
  The ${n.spoken} after each committed change to it (its creation, then every command on it), read for the caller.
  Ends with NOT_FOUND when the caller may no longer read it.
  """
  ${n.aggregate}Changed(reference: String!): ${n.Aggregate} @auth(resource: ${n.resource}, action: READ, id: "reference")
}
`;

/** The administrator's one new policy: every action on every instance of the resource. */
const adminPolicy = (n: ContextNames): string =>
  JSON.stringify({ resource: n.resource, actions: ['READ', 'CREATE', 'UPDATE', 'DELETE'], selectors: ['*'] });

/** Appended to migrations/current.sql: the table, and the administrator's policy on the new resource. */
export const migration = (n: ContextNames): string => `
-- ${n.context} (npm run generate -- context ${n.context}): ${n.spokenPlural}, each saved over the version it was loaded at
-- (1 when created, bumped by one per change) and owned by whoever created it (${n.resource}'s OWNER selector).
create table if not exists ${n.table} (
  reference text primary key,
  owner_id uuid constraint ${n.table}_owner_id_fkey references users (id) on delete set null,
  created_at timestamptz not null,
  version integer not null check (version > 0)
);

-- The administrator may do everything, ${n.resource} included: its one policy joins admin's, once (a re-run finds it
-- there and changes nothing). Spliced in as text because pg-mem, which replays this file for the integration tests,
-- has no jsonb || jsonb; on Postgres alone, \`policies || '[...]'::jsonb\` says the same.
update roles
set policies = (
  '[${adminPolicy(n)}'
  || case when policies = '[]' then ']' else ', ' || substring(policies::text from 2) end
)::jsonb
where name = 'admin' and not policies @> '[{"resource":"${n.resource}"}]';
`;

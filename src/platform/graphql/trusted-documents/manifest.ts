import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Apollo's persisted query list format (what @apollo/generate-persisted-query-manifest writes, GraphOS publishes
 * and the router reads as a local manifest): every operation a client may run, its id the SHA-256 of its body.
 */
export const MANIFEST_FORMAT = 'apollo-persisted-query-manifest';

const operationSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 of the body in lower-case hex'),
  name: z.string().min(1, 'must name the operation'),
  type: z.enum(['query', 'mutation', 'subscription']),
  body: z.string().min(1),
});

const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  version: z.literal(1),
  operations: z.array(operationSchema),
});

export type ManifestOperation = z.infer<typeof operationSchema>;
export type Manifest = z.infer<typeof manifestSchema>;

/** An operation's id: the SHA-256 of its body, byte for byte as the client sends it (Apollo's APQ hash). */
export const operationId = (body: string): string => createHash('sha256').update(body).digest('hex');

export class ManifestError extends Error {
  constructor(source: string, problems: readonly string[]) {
    super(`${source}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ManifestError';
  }
}

/** A manifest of these operations, in a stable order (by name, then id), so a regenerated file diffs cleanly. */
export const createManifest = (operations: readonly ManifestOperation[]): Manifest => ({
  format: MANIFEST_FORMAT,
  version: 1,
  operations: [...operations].sort((a, b) => a.name.localeCompare(b.name, 'en') || a.id.localeCompare(b.id, 'en')),
});

export const printManifest = (manifest: Manifest): string => `${JSON.stringify(manifest, null, 2)}\n`;

/** Checks a manifest's shape, that every id is its body's SHA-256, and that no id is listed twice. */
export const parseManifest = (text: string, source: string): Manifest => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ManifestError(source, ['is not JSON']);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new ManifestError(
      source,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const operation of parsed.data.operations) {
    if (operationId(operation.body) !== operation.id) {
      problems.push(`${operation.name}: id ${operation.id} is not the SHA-256 of its body`);
    }
    if (seen.has(operation.id)) problems.push(`${operation.name}: id ${operation.id} is listed twice`);
    seen.add(operation.id);
  }
  if (problems.length > 0) throw new ManifestError(source, problems);
  return parsed.data;
};

export const readManifest = (path: string): Manifest => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new ManifestError(path, [
      'does not exist: generate it (npm run trusted-documents), point TRUSTED_DOCUMENTS_MANIFEST at yours, ' +
        'or set TRUSTED_DOCUMENTS=off',
    ]);
  }
  return parseManifest(text, path);
};

/** The lookups a request needs: an operation by its id, and a body's id without hashing it. */
export type TrustedOperations = {
  readonly byId: ReadonlyMap<string, ManifestOperation>;
  readonly idByBody: ReadonlyMap<string, string>;
};

export const indexOperations = (manifest: Manifest): TrustedOperations => ({
  byId: new Map(manifest.operations.map((operation) => [operation.id, operation])),
  idByBody: new Map(manifest.operations.map((operation) => [operation.body, operation.id])),
});
